import Foundation
import Lang

/// Shows that a lesson's check cells can fail.
///
/// A check that holds whatever the cells before it computed teaches nothing. For each check
/// cell the falsifier runs the lesson up to it, then reruns the check once per *site* and
/// per *perturbation*: a site is a name, member, index or call expression of the check
/// whose value is data (a number, truth value, tensor, list or none) computed by earlier
/// cells, that is, the expression mentions a global the lesson defined. Exactly one site
/// gets a wrong value per run: ×10, ÷10, +1, −1, negated or zero for numbers and tensors
/// (elementwise), the other truth value, a list with every element perturbed or repeated
/// twice. The check is falsifiable when some run stops at its `expect`.
public enum CheckFalsifier {
    public struct Verdict: Sendable, CustomStringConvertible {
        public let lesson: String
        /// 1-based cell number and the line of its source in the lesson file.
        public let cell: Int
        public let line: Int
        public let source: String
        /// How many sites the check had and how many reruns were tried.
        public let sites: Int
        public let runs: Int
        /// The first wrong value that made the check fail (`site ← perturbation`); nil
        /// when none did.
        public let falsifiedBy: String?
        /// Set when the lesson failed before or at this check in its ordinary run.
        public let error: String?

        public var falsifiable: Bool { falsifiedBy != nil }
        public var description: String {
            let place = "\(lesson) cell \(cell) (line \(line))"
            if let error { return "\(place): \(error)" }
            if let falsifiedBy { return "\(place): fails when \(falsifiedBy)" }
            return "\(place): holds whatever the earlier cells computed (\(sites) sites, \(runs) runs): \(source)"
        }
    }

    /// A wrong value in place of a right one.
    struct Perturbation: Sendable {
        let name: String
        let apply: @Sendable (Value, Interpreter) -> Value?
    }

    static let perturbations: [Perturbation] = [
        Perturbation(name: "×10") { v, i in arithmetic(v, i) { try i.binary("*", $0, .number(10), at: .unknown) } },
        Perturbation(name: "÷10") { v, i in arithmetic(v, i) { try i.binary("/", $0, .number(10), at: .unknown) } },
        Perturbation(name: "+1") { v, i in arithmetic(v, i) { try i.binary("+", $0, .number(1), at: .unknown) } },
        Perturbation(name: "−1") { v, i in arithmetic(v, i) { try i.binary("-", $0, .number(1), at: .unknown) } },
        Perturbation(name: "negated") { v, i in arithmetic(v, i) { try i.binary("*", $0, .number(-1), at: .unknown) } },
        Perturbation(name: "zero") { v, i in arithmetic(v, i) { try i.binary("*", $0, .number(0), at: .unknown) } },
        Perturbation(name: "repeated") { v, _ in
            if case .list(let items) = v { return .list(items + items) }
            return nil
        }
    ]

    /// Applies `change` to a number or tensor, to every element of a list, flips a truth
    /// value and turns none into 0; nil for values it cannot perturb (objects, text).
    static func arithmetic(_ v: Value, _ i: Interpreter, _ change: (Value) throws -> Value) -> Value? {
        switch v {
        case .number, .tensor: return try? change(v)
        case .bool(let b): return .bool(!b)
        case .none: return .number(0)
        case .list(let items):
            let changed = items.map { arithmetic($0, i, change) ?? $0 }
            return .list(changed)
        default: return nil
        }
    }

    /// Audits every check cell of `lesson` (running its code cells as the lesson runner does).
    public static func audit(_ lesson: Lesson, makeInterpreter: () -> Interpreter = { Interpreter() }) -> [Verdict] {
        let interpreter = makeInterpreter()
        interpreter.output = { _ in }
        interpreter.reseed(0)
        if interpreter.courseFiles == nil { interpreter.courseFiles = lesson.courseFiles }
        var verdicts: [Verdict] = []
        for (k, cell) in lesson.cells.enumerated() {
            guard cell.kind == .check else {
                do { try interpreter.run(cell.source) } catch {
                    verdicts.append(broken(lesson, k, cell, "cell \(k + 1) failed: \(error)"))
                    return verdicts
                }
                continue
            }
            verdicts.append(audit(cell, number: k + 1, of: lesson, in: interpreter))
        }
        return verdicts
    }

    static func broken(_ lesson: Lesson, _ k: Int, _ cell: Lesson.Cell, _ why: String) -> Verdict {
        Verdict(lesson: lesson.name, cell: k + 1, line: cell.line, source: cell.source, sites: 0, runs: 0, falsifiedBy: nil, error: why)
    }

    static func audit(_ cell: Lesson.Cell, number: Int, of lesson: Lesson, in interpreter: Interpreter) -> Verdict {
        let generator = interpreter.generator
        // The ordinary run, noting every site in evaluation order.
        var sites: [(expr: Expr, value: Value)] = []
        interpreter.observer = { expr, value in
            if isData(value), mentionsLessonData(expr, interpreter.globals) { sites.append((expr, value)) }
            return value
        }
        defer { interpreter.observer = nil }
        do { try interpreter.run(cell.source) } catch {
            return broken(lesson, number - 1, cell, "the check fails in the ordinary run: \(error)")
        }
        var runs = 0
        for (target, site) in sites.enumerated() {
            for p in perturbations {
                guard let wrong = p.apply(site.value, interpreter) else { continue }
                var seen = 0
                interpreter.observer = { expr, value in
                    guard isData(value), mentionsLessonData(expr, interpreter.globals) else { return value }
                    defer { seen += 1 }
                    return seen == target ? wrong : value
                }
                interpreter.generator = generator
                runs += 1
                do { try interpreter.run(cell.source) } catch is ExpectationFailed {
                    let text = snippet(cell.source, site.expr.location)
                    return Verdict(
                        lesson: lesson.name, cell: number, line: cell.line, source: cell.source, sites: sites.count, runs: runs,
                        falsifiedBy: "\(text) is \(p.name)", error: nil)
                } catch {
                    // A wrong value that breaks the expression (a type error) is not the check failing.
                }
            }
        }
        return Verdict(lesson: lesson.name, cell: number, line: cell.line, source: cell.source, sites: sites.count, runs: runs, falsifiedBy: nil, error: nil)
    }

    static func isData(_ v: Value) -> Bool {
        switch v {
        case .number, .bool, .tensor, .list, .none: true
        default: false
        }
    }

    /// Whether the expression reads a global that holds data or an object (not a builtin or
    /// a function the lesson defined).
    static func mentionsLessonData(_ expr: Expr, _ globals: Environment) -> Bool {
        switch expr {
        case .name(let n, _):
            guard let v = globals.lookup(n) else { return false }
            if case .function = v { return false }
            return true
        case .number, .string, .bool, .none: return false
        case .list(let items, _): return items.contains { mentionsLessonData($0, globals) }
        case .unary(_, let e, _), .member(let e, _, _): return mentionsLessonData(e, globals)
        case .binary(_, let l, let r, _), .logical(_, let l, let r, _), .range(let l, let r, _, _):
            return mentionsLessonData(l, globals) || mentionsLessonData(r, globals)
        case .call(let f, let args, _): return mentionsLessonData(f, globals) || args.contains { mentionsLessonData($0.value, globals) }
        case .index(let e, let items, _):
            return mentionsLessonData(e, globals)
                || items.contains {
                    switch $0 {
                    case .single(let i): mentionsLessonData(i, globals)
                    case .slice(let a, let b, let c): [a, b, c].contains { $0.map { mentionsLessonData($0, globals) } ?? false }
                    }
                }
        case .lambda, .block: return false
        }
    }

    static func snippet(_ source: String, _ at: SourceLocation) -> String {
        let utf8 = Array(source.utf8)
        guard at.offset >= 0, at.length > 0, at.offset + at.length <= utf8.count else { return "the value at \(at)" }
        return String(decoding: utf8[at.offset..<(at.offset + at.length)], as: UTF8.self)
    }
}
