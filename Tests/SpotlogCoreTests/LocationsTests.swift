import Testing
@testable import SpotlogCore

@Suite struct LocationsTests {
    @Test func followsXDGDirectories() {
        let locations = Locations(environment: ["HOME": "/home/a", "XDG_DATA_HOME": "/data", "XDG_CONFIG_HOME": "/conf"])
        #expect(locations.databasePath(explicit: nil) == "/data/spotlog/spotlog.db")
        #expect(locations.configDirectory == "/conf/spotlog")
    }

    @Test func fallsBackToHome() {
        let locations = Locations(environment: ["HOME": "/home/a", "XDG_DATA_HOME": "relative/ignored"])
        #expect(locations.databasePath(explicit: nil) == "/home/a/.local/share/spotlog/spotlog.db")
        #expect(locations.configDirectory == "/home/a/.config/spotlog")
    }

    @Test func explicitPathThenEnvironment() {
        let locations = Locations(environment: ["HOME": "/h", "SPOTLOG_DB": "/env.db"])
        #expect(locations.databasePath(explicit: "/flag.db") == "/flag.db")
        #expect(locations.databasePath(explicit: nil) == "/env.db")
    }
}
