import SpotlogCore

/// `spotlog admin artists ...`: which artists count as one in artist answers.
enum AdminArtists {
    static let from = ArgumentSpec("ARTIST", help: "the artist to count as another (its name, case and accents ignored)")
    static let into = OptionSpec("into", .text, placeholder: "ARTIST", help: "the artist it counts as")

    static let spec = CommandSpec(
        "artists", summary: "count an artist as another in every artist answer (aliases)",
        discussion: """
            A merge is a rule applied when answering: top-artists, summary, discoveries, forgotten --by artist, \
            streaks --artist, the artist column of top-tracks and the history.* tools count the merged artist's \
            plays under the other artist, and no play is rewritten, so unmerge gives back the earlier answers \
            exactly. Names are never split at punctuation ("AC/DC" and "Earth, Wind & Fire" are one artist each); \
            artist rankings count featured artists only with --credits all, from the artists the Web API lists \
            for a track.
            """,
        subcommands: [merge, unmerge, aliases])

    static let merge = CommandSpec(
        "merge", summary: "count ARTIST as the artist --into names", arguments: [from], options: [into],
        examples: [.init("spotlog admin artists merge 'Selena Gomez & The Scene' --into 'Selena Gomez'", "")],
        jsonSchema: "{\"schema_version\": 1, \"alias\": \(ArtistAlias.schema.summary)}"
    ) { context in
        guard let target = context.invocation.string(into) else { throw SpotlogError.usage("--into ARTIST is required") }
        let alias = try ArtistAliases(database: try context.openDatabase()).merge(context.invocation.argument(from) ?? "",
                                                                                    into: target)
        try context.emit(try output(alias, text: "'\(alias.alias)' now counts as '\(alias.artist)'"))
    }

    static let unmerge = CommandSpec(
        "unmerge", summary: "count ARTIST as itself again", arguments: [from],
        jsonSchema: "{\"schema_version\": 1, \"alias\": \(ArtistAlias.schema.summary)} (the rule removed)"
    ) { context in
        let alias = try ArtistAliases(database: try context.openDatabase()).unmerge(context.invocation.argument(from) ?? "")
        try context.emit(try output(alias, text: "'\(alias.alias)' counts as itself again (it counted as '\(alias.artist)')"))
    }

    static let aliases = CommandSpec(
        "aliases", aliases: ["list"], summary: "list the merges",
        jsonSchema: "{\"schema_version\": 1, \"items\": [\(ArtistAlias.schema.summary)]}"
    ) { context in
        let all = try ArtistAliases(database: try context.openDatabase(.readOnly)).all()
        var table = TextTable([.init("artist"), .init("counts as"), .init("since")])
        for alias in all { table.append([alias.alias, alias.artist, alias.createdAt]) }
        let items = try all.map { try DocumentEncoder().encode($0) }
        try context.emit(CommandOutput(document: .object(["schema_version": 1, "items": .array(items)]), items: items,
                                       table: table, emptyMessage: "no artist is merged into another"))
    }

    private static func output(_ alias: ArtistAlias, text: String) throws -> CommandOutput {
        CommandOutput(document: .object(["schema_version": 1, "alias": try DocumentEncoder().encode(alias)]), text: text + "\n")
    }
}
