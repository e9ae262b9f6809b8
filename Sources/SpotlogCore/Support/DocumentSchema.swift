/// The shape of a JSON document, declared once beside the document type that produces it: MCP
/// tools publish it as `outputSchema` (JSON Schema), the man page prints it as a one-line summary,
/// and the tests check every encoded document against it, so the three cannot drift apart.
///
/// Every property of an object is required and no other property is allowed.
public indirect enum DocumentSchema: Sendable {
    case integer(String = "")
    case number(String = "")
    /// A string; the note says what it holds (`ISO 8601`), shown instead of "string".
    case string(String = "")
    case boolean(String = "")
    /// One of a fixed set of strings.
    case oneOf([String])
    case array(DocumentSchema, String = "")
    case object([Property])
    case nullable(DocumentSchema)
    /// Any JSON value (a Spotify Web API object passed through).
    case anyValue(String)

    /// A named property of an object.
    public struct Property: Sendable {
        public let name: String
        public let schema: DocumentSchema
        public init(_ name: String, _ schema: DocumentSchema) { self.name = name; self.schema = schema }
    }

    /// An object with the properties in this order.
    public static func object(_ properties: KeyValuePairs<String, DocumentSchema>) -> DocumentSchema {
        .object(properties.map { Property($0.key, $0.value) })
    }

    /// This object with `more` properties after its own.
    public func adding(_ more: DocumentSchema) -> DocumentSchema {
        guard case .object(let mine) = self, case .object(let theirs) = more else { return self }
        return .object(mine + theirs)
    }

    /// The properties of an object schema.
    public var properties: [Property] {
        if case .object(let properties) = self { return properties }
        return []
    }

    // MARK: JSON Schema

    /// The schema as JSON Schema (draft 2020-12 keywords).
    public var jsonSchema: JSONValue {
        switch self {
        case .integer(let note): return Self.typed("integer", note)
        case .number(let note): return Self.typed("number", note)
        case .string(let note): return Self.typed("string", note)
        case .boolean(let note): return Self.typed("boolean", note)
        case .oneOf(let values): return .object(["type": "string", "enum": .array(values.map(JSONValue.string))])
        case .array(let element, let note):
            return .object([.init("type", "array"), .init("items", element.jsonSchema)] + Self.description(note))
        case .object(let properties):
            return .object([
                "type": "object",
                "properties": .object(properties.map { .init($0.name, $0.schema.jsonSchema) }),
                "required": .array(properties.map { .string($0.name) }),
                "additionalProperties": false,
            ])
        case .nullable(let inner):
            guard case .object(var members) = inner.jsonSchema else { return inner.jsonSchema }
            for index in members.indices {
                switch (members[index].key, members[index].value) {
                case ("type", .string(let type)): members[index] = .init("type", [.string(type), "null"])
                case ("enum", .array(let values)): members[index] = .init("enum", .array(values + [.null]))
                default: break
                }
            }
            if case .oneOf = inner { members.removeAll { $0.key == "type" } }
            return .object(members)
        case .anyValue(let note): return .object(Self.description(note))
        }
    }

    private static func typed(_ type: String, _ note: String) -> JSONValue {
        .object([.init("type", .string(type))] + description(note))
    }

    private static func description(_ note: String) -> [JSONValue.Member] {
        note.isEmpty ? [] : [.init("description", .string(note))]
    }

    // MARK: Man page

    /// A one-line summary: `"plays": int, "first_play": ISO 8601 or null, "items": [{...}]`.
    public var summary: String {
        switch self {
        case .integer(let note): return Self.noted("int", note)
        case .number(let note): return Self.noted("number", note)
        case .string(let note): return note.isEmpty ? "string" : note
        case .boolean(let note): return Self.noted("bool", note)
        case .oneOf(let values): return values.map { "\"\($0)\"" }.joined(separator: " | ")
        case .array(let element, let note): return Self.noted("[\(element.summary)]", note)
        case .object: return "{\(memberSummary)}"
        case .nullable(let inner): return inner.summary + " or null"
        case .anyValue(let note): return note
        }
    }

    /// The properties of an object as `"name": summary, ...` (no braces).
    public var memberSummary: String {
        properties.map { "\"\($0.name)\": \($0.schema.summary)" }.joined(separator: ", ")
    }

    private static func noted(_ text: String, _ note: String) -> String { note.isEmpty ? text : "\(text) (\(note))" }

    // MARK: Validation

    /// What in `value` does not fit the schema, one line per problem (empty when it fits).
    public func problems(in value: JSONValue, at path: String = "$") -> [String] {
        switch (self, value) {
        case (.nullable, .null), (.anyValue, _), (.integer, .int), (.number, .int), (.number, .double),
             (.string, .string), (.boolean, .bool):
            return []
        case (.nullable(let inner), _):
            return inner.problems(in: value, at: path)
        case (.oneOf(let values), .string(let text)):
            return values.contains(text) ? [] : ["\(path): '\(text)' is not one of \(values.joined(separator: ", "))"]
        case (.array(let element, _), .array(let values)):
            return values.enumerated().flatMap { element.problems(in: $0.element, at: "\(path)[\($0.offset)]") }
        case (.object(let properties), .object(let members)):
            let declared = Set(properties.map(\.name)), present = Set(members.map(\.key))
            var found = properties.filter { !present.contains($0.name) }.map { "\(path).\($0.name): missing" }
            found += members.filter { !declared.contains($0.key) }.map { "\(path).\($0.key): not in the schema" }
            for property in properties {
                if let member = members.first(where: { $0.key == property.name }) {
                    found += property.schema.problems(in: member.value, at: "\(path).\(property.name)")
                }
            }
            return found
        default:
            return ["\(path): expected \(summary), got \(value.serialized())"]
        }
    }
}
