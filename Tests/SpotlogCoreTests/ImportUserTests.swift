import Foundation
import GRDB
import Testing
@testable import SpotlogCore

/// Whose history an import belongs to.
@Suite struct ImportUserTests {
    let rows = Records.json([Records.track("2024-05-01T12:00:00Z")])  // username "listener"
    let nameless = Records.json([Records.account("2024-05-01 12:00")])  // account data: no username

    func users(_ harness: ImportHarness) throws -> [String] {
        try UserDirectory(database: harness.database).all().map { "\($0.name):\($0.spotifyId ?? "-")" }
    }

    @Test func firstImportCreatesAUserNamedAfterTheExport() throws {
        let fixture = try ExportFixture(), harness = try ImportHarness()
        let report = try harness.run([try fixture.directory(["Streaming_History_Audio_2024.json": rows])])
        #expect(report.user == "listener")
        #expect(try users(harness) == ["listener:listener"])
    }

    @Test func withoutAUsernameTheUserIsDefault() throws {
        let fixture = try ExportFixture(), harness = try ImportHarness()
        try harness.run([try fixture.directory(["StreamingHistory_music_0.json": nameless])])
        #expect(try users(harness) == ["default:-"])
    }

    @Test func userOptionNamesOrCreatesTheUser() throws {
        let fixture = try ExportFixture(), harness = try ImportHarness()
        try harness.run([try fixture.directory(["StreamingHistory_music_0.json": nameless])], user: "alice")
        #expect(try users(harness) == ["alice:-"])
        let second = try harness.run([try fixture.directory(["Streaming_History_Audio_2024.json": rows], named: "b")],
                                     user: "alice")
        #expect(second.user == "alice")
        #expect(try users(harness) == ["alice:listener"], "the export's username is remembered as the Spotify id")
    }

    @Test func theOnlyUserWithoutASpotifyIDAdoptsTheExport() throws {
        let fixture = try ExportFixture(), harness = try ImportHarness()
        try harness.run([try fixture.directory(["StreamingHistory_music_0.json": nameless], named: "a")])
        try harness.run([try fixture.directory(["Streaming_History_Audio_2024.json": rows], named: "b")])
        #expect(try users(harness) == ["default:listener"])
        #expect(try harness.count("SELECT count(DISTINCT user_id) FROM plays") == 1)
    }

    @Test func anotherPersonsExportGetsItsOwnUser() throws {
        let fixture = try ExportFixture(), harness = try ImportHarness()
        try harness.run([try fixture.directory(["Streaming_History_Audio_2024.json": rows], named: "a")])
        var other = Records.track("2024-05-01T12:00:00Z")
        other["username"] = "flatmate"
        try harness.run([try fixture.directory(["Streaming_History_Audio_2024.json": Records.json([other])], named: "b")])
        #expect(try users(harness) == ["listener:listener", "flatmate:flatmate"])
    }

    @Test func severalUsersAndNoWayToChooseIsAUsageError() throws {
        let fixture = try ExportFixture(), harness = try ImportHarness()
        try UserDirectory(database: harness.database).create(name: "a", spotifyId: "a")
        try UserDirectory(database: harness.database).create(name: "b", spotifyId: "b")
        #expect {
            try harness.run([try fixture.directory(["StreamingHistory_music_0.json": nameless])])
        } throws: { error in
            let error = error as? SpotlogError
            return error?.category == .usage && error?.message == "several users exist (users: a, b)"
                && error?.hint == .chooseUser
        }
    }
}
