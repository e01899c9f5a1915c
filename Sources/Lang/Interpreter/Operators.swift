import Autograd
import Foundation
import NeuralNet
import Random
import Synchronization
import Tensors

/// Operators on numbers, strings, lists and tensors, and equality.
extension Interpreter {

    public func binary(_ op: String, _ a: Value, _ b: Value, at loc: SourceLocation) throws -> Value {
        do {
            switch (a, b) {
            case (.number(let x), .number(let y)):
                switch op {
                case "+": return .number(x + y)
                case "-": return .number(x - y)
                case "*": return .number(x * y)
                case "/": return .number(x / y)
                case "%": return .number(x.truncatingRemainder(dividingBy: y))
                case "^": return .number(Foundation.pow(x, y))
                case "==": return .bool(x == y)
                case "!=": return .bool(x != y)
                case "<": return .bool(x < y)
                case "<=": return .bool(x <= y)
                case ">": return .bool(x > y)
                case ">=": return .bool(x >= y)
                default: break
                }
            case (.string(let x), .string(let y)):
                switch op {
                case "+": return .string(x + y)
                case "==": return .bool(x == y)
                case "!=": return .bool(x != y)
                case "<": return .bool(x < y)
                case ">": return .bool(x > y)
                default: break
                }
            case (.string(let x), _) where op == "+": return .string(x + format(b))
            case (.list(let x), .list(let y)) where op == "+": return .list(x + y)
            case (.list, .list) where op == "==" || op == "!=":
                return .bool(try valuesEqual(a, b, at: loc) == (op == "=="))
            case (.bool(let x), .bool(let y)) where op == "==" || op == "!=": return .bool((x == y) == (op == "=="))
            case (.none, _) where op == "==" || op == "!=": return .bool(b.isNone == (op == "=="))
            case (_, .none) where op == "==" || op == "!=": return .bool(a.isNone == (op == "=="))
            case (.tensor, _), (_, .tensor):
                return try tensorBinary(op, a, b, at: loc)
            default: break
            }
        } catch let e as any ExplainedError {
            throw LangError(.runtime, e.message, at: loc)
        }
        if op == "==" || op == "!=", case .object(let x) = a, case .object(let y) = b { return .bool((x === y) == (op == "==")) }
        throw LangError(.type, "cannot apply \(op) to a \(a.typeName) and a \(b.typeName)", at: loc)
    }

    func tensorBinary(_ op: String, _ a: Value, _ b: Value, at loc: SourceLocation) throws -> Value {
        // Scalars stay scalars so the graph does not grow a broadcast node for them.
        if case .tensor(let t) = a, case .number(let y) = b {
            let s = Float(y)
            switch op {
            case "+": return .tensor(t + s)
            case "-": return .tensor(t - s)
            case "*": return .tensor(t * s)
            case "/": return .tensor(t / s)
            case "^": return .tensor(t.pow(s))
            default: break
            }
        }
        if case .number(let x) = a, case .tensor(let t) = b {
            let s = Float(x)
            switch op {
            case "+": return .tensor(s + t)
            case "-": return .tensor(s - t)
            case "*": return .tensor(s * t)
            default: break
            }
        }
        let x = try Arguments.toTensor(a, callee: op, name: "left side", location: loc)
        let y = try Arguments.toTensor(b, callee: op, name: "right side", location: loc)
        switch op {
        case "+": return .tensor(try x + y)
        case "-": return .tensor(try x - y)
        case "*": return .tensor(try x * y)
        case "/": return .tensor(try x / y)
        case "@":
            guard x.value.rank == 2 && y.value.rank == 2 else {
                throw LangError(.runtime, "@ multiplies matrices: got shapes \(x.shape) and \(y.shape) (reshape to 2-D first)", at: loc)
            }
            guard x.shape[1] == y.shape[0] else {
                throw LangError(.runtime, "@: inner sizes differ: \(x.shape) @ \(y.shape) needs \(x.shape[1]) == \(y.shape[0])", at: loc)
            }
            return .tensor(try x.matmul(y))
        case "^":
            guard y.value.count == 1 else { throw LangError(.runtime, "^ takes a number exponent, got shape \(y.shape)", at: loc) }
            return .tensor(x.pow(y.value.scalars[0]))
        case "==": return .tensor(Variable(try x.value.equal(y.value)))
        case "!=": return .tensor(Variable(try x.value.notEqual(y.value)))
        case "<": return .tensor(Variable(try x.value.less(y.value)))
        case "<=": return .tensor(Variable(try x.value.lessEqual(y.value)))
        case ">": return .tensor(Variable(try x.value.greater(y.value)))
        case ">=": return .tensor(Variable(try x.value.greaterEqual(y.value)))
        default: throw LangError(.type, "cannot apply \(op) to tensors", at: loc)
        }
    }

    /// Structural equality for lists, numbers, strings, bools and none.
    func valuesEqual(_ a: Value, _ b: Value, at loc: SourceLocation) throws -> Bool {
        switch (a, b) {
        case (.list(let x), .list(let y)):
            guard x.count == y.count else { return false }
            for (p, q) in zip(x, y) where try !valuesEqual(p, q, at: loc) { return false }
            return true
        case (.number(let x), .number(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.bool(let x), .bool(let y)): return x == y
        case (.none, .none): return true
        case (.tensor(let x), .tensor(let y)): return x.value == y.value
        default: return false
        }
    }
}
