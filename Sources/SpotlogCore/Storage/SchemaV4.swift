import Foundation
import GRDB

extension Schema {
    /// Schema v4: `play_days.quarters` keeps only the quarter-hours that have plays (see
    /// `QuarterBlob`) instead of all 96. A day's row shrinks from about 800 bytes to a few
    /// dozen, which was a quarter of the file, and of what an import writes. Existing rows are
    /// converted (dense blobs are 768 bytes long, a length no sparse blob has). Frozen: it uses no
    /// live rollup code.
    static func sparseQuarters(_ db: Database) throws {
        let dense = try Row.fetchAll(db, sql: """
            SELECT user_id, day, kind, source, quarters FROM play_days WHERE length(quarters) = 768
            """)
        let update = try db.makeStatement(sql: """
            UPDATE play_days SET quarters = ? WHERE user_id = ? AND day = ? AND kind = ? AND source = ?
            """)
        for row in dense {
            let blob: [UInt8] = Array(try row.decode(Data.self, forColumn: "quarters"))
            try update.execute(arguments: [Data(sparse(fromDense: blob)), row["user_id"], row["day"], row["kind"], row["source"]])
        }
    }

    /// A dense blob (96 x (u32 plays, u32 ms)) as the sparse entries of that time: for each
    /// quarter-hour with plays or time, its number (u8), then plays and ms (u32 each,
    /// little-endian). Frozen with this migration; `QuarterBlob` is the live format.
    private static func sparse(fromDense blob: [UInt8]) -> [UInt8] {
        func word(_ offset: Int) -> UInt32 { (0..<4).reduce(0) { $0 | UInt32(blob[offset + $1]) << (8 * $1) } }
        var output: [UInt8] = []
        for quarter in 0..<96 where word(quarter * 8) != 0 || word(quarter * 8 + 4) != 0 {
            output.append(UInt8(quarter))
            output += blob[quarter * 8..<quarter * 8 + 8]
        }
        return output
    }
}
