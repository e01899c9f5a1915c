import Lang
import Random

/// Generates prompt entries that probe every builtin and command with edge values, random
/// expressions, deep nesting and raw bytes.
///
/// Builtin calls are built from each builtin's declared parameters: each is given
/// positionally or by name, mostly with edge values of its declared kind (negative, zero,
/// huge, fractional, NaN and infinite numbers for a whole number; empty and odd tensors for a
/// tensor…), otherwise from the pool of every kind the language has. Members come from the
/// registry's declarations of every value kind. The same seed gives the same cases.
public struct FuzzCaseGenerator {
    /// What a case exercises, for the report's breakdown.
    public enum Kind: String, CaseIterable, Sendable {
        case builtinCall = "builtin calls", member = "members and methods", command = ":commands", help = "?help"
        case expression = "random expressions", deep = "deep nesting", bytes = "raw bytes", mutation = "mutated entries"
    }

    public struct Case: Sendable {
        public let kind: Kind
        public let bytes: [UInt8]
    }

    let builtins: [(name: String, parameters: [Param])]
    let commands: [String]
    let members: [String]
    var random: SeededGenerator

    public init(registry: BuiltinRegistry, commands: [String], seed: UInt64) {
        builtins = registry.order.compactMap { name in registry[name].map { (name, $0.parameters) } }
        self.commands = commands.sorted()
        let declared = registry.valueKinds.flatMap { registry.members[$0]!.map(\.name) }
        members = Array(Set(declared + ["nothing", "__index__"])).sorted()
        random = SeededGenerator(seed: seed)
    }

    static let numbers = [
        "-1", "0", "1", "2", "3", "0.5", "-0.5", "1e-300", "1e9", "2^31", "2^53", "2^63", "1e300", "-1e300",
        "0/0", "1/0", "-1/0", "-0", "255", "65536", "-2^63"
    ]
    static let tensors = [
        "ones(2, 3)", "zeros(0)", "zeros(0, 3)", "randn(1, 1, 4, 4)", "randn(2, 3, 8, 8)", "tensor([1, 2])",
        "tensor(5)", "arange(10)", "randn(4, 10)", "ones(3, 1)", "tensor([[1, 0/0], [1/0, -1/0]])", "randn(2, 2) * 1e30"
    ]
    static let lists = ["[]", "[1, 2, 3]", "[[1], [2, 3]]", "[0, -1]", "[2, 3]", "[\"a\"]", "[none]", "[1e300, 0/0]", "0..<3", "[[]]"]
    static let strings = [
        "\"\"", "\"x\"", "\"relu\"", "\"sgd\"", "\"adam\"", "\"step\"", "\"cosine\"", "\"softmax\"", "\"mean\"",
        "\"/nonexistent/file.npz\"", "\".\"", "\"/\"", "\"\\n\"", "\"é\""
    ]
    static let others = [
        "true", "false", "none", "spiral(5)", "synthetic_images(4)", "two_layer_net(2, 3, 2)", "Linear(2, 2)",
        "fn(x) = x", "fn() = 1", "split(spiral(5), 9, 3)", "schedule(\"step\", lr: 0.1)", "ReLU()", "print"
    ]
    static let commandArguments = [
        "", "1", "0", "-3", "2.5", "1e300", "nan", "x", "1 + ", "\"f.gs\"", "/nonexistent/x.gs", ".", "/tmp", "/",
        "reference", "homework", "all", "99", "x, x log", "x to \"/nonexistent/p.png\"", "ones(3)"
    ]
    static let operators = ["+", "-", "*", "/", "@", "%", "^", "==", "!=", "<", "<=", ">", ">=", "and", "or", "...", "..<"]
    static let alphabet =
        Array("()[]{}+-*/^@%<>=!,:.;#\"'0123456789 \nabcxyz_?").map { String($0) }
        + ["fn ", "for ", " in ", "if ", "else ", "while ", "return ", "no_grad ", "not ", "none", ":", "?"]

    mutating func pick(_ n: Int) -> Int { n <= 1 ? 0 : Int(random.next() % UInt64(n)) }
    mutating func pick<T>(_ items: [T]) -> T { items[pick(items.count)] }
    mutating func chance(_ p: Double) -> Bool { random.nextUniform() < p }

    mutating func value() -> String {
        switch pick(10) {
        case 0, 1, 2, 3: return pick(Self.numbers)
        case 4, 5: return pick(Self.tensors)
        case 6: return pick(Self.lists)
        case 7: return pick(Self.strings)
        case 8: return pick(Self.others)
        default: return "x"
        }
    }

    /// A value for a parameter: usually an edge value of its kind, sometimes anything.
    mutating func value(for p: Param) -> String {
        guard chance(0.6) else { return value() }
        switch p.kind {
        case .whole, .number, .finite, .nonNegative, .probability, .fraction: return pick(Self.numbers)
        case .wholes: return pick(Self.lists + Self.numbers)
        case .tensor, .tensors: return pick(Self.tensors + Self.lists)
        case .flag: return pick(["true", "false", "1", "none"])
        case .text: return pick(Self.strings)
        case .choice(let names): return chance(0.8) ? "\"\(pick(names))\"" : pick(Self.strings)
        case .function: return pick(["fn(x) = x", "fn() = 1", "print", "fn(v) = sum(v * v)", "fn() = two_layer_net(2, 3, 2)"])
        case .object: return pick(Self.others)
        case .value: return value()
        }
    }

    mutating func call() -> String {
        let b = pick(builtins)
        let names = b.parameters.map(\.name)
        var arguments: [String] = []
        let count = pick(b.parameters.count + 2)
        var named = false
        for i in 0..<count {
            let v = i < b.parameters.count ? value(for: b.parameters[i]) : value()
            if i < b.parameters.count, named || chance(0.25) {
                named = true
                arguments.append("\(names[i]): \(v)")
            } else if named || i >= b.parameters.count && chance(0.3) {
                arguments.append("\(chance(0.5) ? pick(names + ["bogus"]) : "bogus"): \(v)")
            } else {
                arguments.append(v)
            }
        }
        return "\(b.name)(\(arguments.joined(separator: ", ")))"
    }

    mutating func expression(depth: Int = 0) -> String {
        if depth > 3 { return value() }
        switch pick(8) {
        case 0: return "\(expression(depth: depth + 1)) \(pick(Self.operators)) \(expression(depth: depth + 1))"
        case 1: return "\(pick(["-", "not ", "+"]))\(expression(depth: depth + 1))"
        case 2: return "\(expression(depth: depth + 1))[\(pick(Self.numbers))\(chance(0.3) ? ":" + pick(Self.numbers) : "")]"
        case 3: return "(\(expression(depth: depth + 1))).\(pick(members))"
        case 4: return call()
        case 5: return "[\(expression(depth: depth + 1)), \(expression(depth: depth + 1))]"
        default: return value()
        }
    }

    mutating func deep() -> String {
        let n = [100, 1_000, 5_000, 12_000, 30_000][pick(5)]
        switch pick(8) {
        case 0: return String(repeating: "(", count: n) + "1" + String(repeating: ")", count: n)
        case 1: return String(repeating: "[", count: n) + String(repeating: "]", count: n)
        case 2: return "x = 1" + String(repeating: " + x", count: n)
        case 3: return String(repeating: "-", count: n) + "1"
        case 4: return String(repeating: "not ", count: n) + "true"
        case 5: return "x = []\nfor i in 0..<\(n * 3) { x = [x] }\nprint(x == x)\nx"
        case 6: return "y = ones(1)\nfor i in 0..<\(n * 3) { y = y * 1 }\nbackward(sum(y))\ny = 0"
        default: return "x = [" + (0..<n).map { _ in "1" }.joined(separator: ",\n") + "]\nlen(x)"
        }
    }

    mutating func rawBytes() -> [UInt8] {
        let fragments: [[UInt8]] = [[0xC3], [0xFF, 0xFE], [0xE2, 0x82], [0xF0, 0x9F, 0x98, 0x80], [0xED, 0xA0, 0x80], [0], [0x1B, 0x5B], [0x0D, 0x0A], [0x04]]
        var out: [UInt8] = []
        for _ in 0..<(1 + pick(40)) {
            if chance(0.3) { out += pick(fragments) } else if chance(0.5) { out += Array(value().utf8) } else { out.append(UInt8(pick(256))) }
        }
        return out
    }

    mutating func mutate(_ text: String) -> String {
        var chars = Array(text).map { String($0) }
        for _ in 0...pick(4) {
            switch pick(3) {
            case 0 where !chars.isEmpty: chars.remove(at: pick(chars.count))
            case 1: chars.insert(pick(Self.alphabet), at: pick(chars.count + 1))
            default: if !chars.isEmpty { chars[pick(chars.count)] = pick(Self.alphabet) }
            }
        }
        return chars.joined()
    }

    /// The next case: a short entry (or a few lines), as bytes for the prompt's input.
    public mutating func next() -> Case {
        let setup = chance(0.5) ? "x = \(value())\n" : ""
        let kind = pick(Kind.allCases)
        let text: String
        switch kind {
        case .builtinCall: text = setup + call()
        case .member: text = setup + "(\(value())).\(pick(members))\(chance(0.5) ? "(\(value()))" : "")"
        case .command: text = setup + ":\(pick(commands)) \(pick(Self.commandArguments))"
        case .help: text = "?\(chance(0.7) ? pick(builtins).name : chance(0.5) ? pick(["model", "tensor", "dataset", "optimizer", "model.params", "tensor.grad", "x.y"]) : pick(members + Self.alphabet))"
        case .expression: text = setup + expression()
        case .deep: text = deep()
        case .bytes: return Case(kind: kind, bytes: rawBytes())
        case .mutation: text = mutate(setup + (chance(0.5) ? call() : expression()))
        }
        return Case(kind: kind, bytes: Array((text + "\n").utf8))
    }
}
