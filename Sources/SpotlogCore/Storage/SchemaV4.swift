import Foundation
import GRDB

extension Schema {
    /// Schema v4: `play_days.quarters` keeps only the quarter-hours that have plays (see
    /// `QuarterBlob`) instead of all 96. A day's row shrinks from about 800 bytes to a few
    /// dozen, which was a quarter of the file, and of what an import writes. Existing rows are
    /// converted; rows already sparse (written by the v2 rebuild of this build) are left alone.
    static func sparseQuarters(_ db: Database) throws {
        let dense = try Row.fetchAll(db, sql: """
            SELECT user_id, day, kind, source, quarters FROM play_days WHERE length(quarters) = \(QuarterBlob.denseSize)
            """)
        let update = try db.makeStatement(sql: """
            UPDATE play_days SET quarters = ? WHERE user_id = ? AND day = ? AND kind = ? AND source = ?
            """)
        for row in dense {
            let blob: Data = try row.decode(forColumn: "quarters")
            guard let sparse = blob.withUnsafeBytes(QuarterBlob.sparse(fromDense:)) else { continue }
            try update.execute(arguments: [Data(sparse), row["user_id"], row["day"], row["kind"], row["source"]])
        }
    }
}
