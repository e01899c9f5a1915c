import Lang
import Random
import Tensors
import Testing

/// Thousands of random and mutated inputs, in process: every one must end in a value or a
/// LangError (the language's own error, with its words), never another error type. Crashes
/// are `gradschool fuzz`'s concern (Tests/FuzzingTests), since each case there has its own process.
@Suite struct FuzzTests {
    static let seeds = [
        "x = randn(2, 3); y = relu(x @ randn(3, 2)); sum(y)", "for i in 1...3 { print(i) }", "fn f(a) = a * 2; f(3)",
        "net = two_layer_net(4, 5, 3); net(randn(2, 4))", "tensor([[1, 2], [3, 4]])[:, 0]", "a, b = [1, 2]",
        "if 1 < 2 { 3 } else { 4 }", "s = schedule(\"step\", lr: 0.1); s.values(3)", "x = zeros(3); x[0] = 1",
        "softmax_loss(randn(2, 3), [0, 2])", "conv2d(randn(1, 1, 4, 4), randn(1, 1, 3, 3), pad: 1)"
    ]
    static let alphabet = Array("()[]{}+-*/^@%<>=!,:.;#\"'0123456789 \nabcxyz_") + ["...", "..<", "fn", "for", "in", "if", "else", "no_grad"].flatMap { Array($0) }

    /// What a run of generated inputs gave: values, the language's errors, and anything else
    /// (another error type, or a message leaking Swift's words).
    struct Outcomes { var values = 0, errors = 0, foreign: [String] = [] }

    static func campaign(trials: Int, _ run: (String) throws -> Void) -> Outcomes {
        var g = SeededGenerator(seed: 42)
        func pick(_ n: Int) -> Int { min(n - 1, Int(g.nextUniform() * Double(n))) }
        var outcomes = Outcomes()
        for trial in 0..<trials {
            var chars = Array(Self.seeds[pick(Self.seeds.count)])
            if trial % 3 == 0 {
                chars = (0..<pick(40)).map { _ in Self.alphabet[pick(Self.alphabet.count)] }
            } else {
                for _ in 0...pick(4) {
                    switch pick(3) {
                    case 0 where !chars.isEmpty: chars.remove(at: pick(chars.count))
                    case 1: chars.insert(Self.alphabet[pick(Self.alphabet.count)], at: pick(chars.count + 1))
                    default: if !chars.isEmpty { chars[pick(chars.count)] = Self.alphabet[pick(Self.alphabet.count)] }
                    }
                }
            }
            let source = String(chars)
            do { try run(source); outcomes.values += 1 } catch let e as LangError {
                outcomes.errors += 1
                // Errors speak the language's words, not Swift's.
                for leak in ["Tensors.", "TensorError", "Swift.", "Optional(", "Fatal"] where e.message.contains(leak) {
                    outcomes.foreign.append("\(source) → \(e.message)")
                }
            } catch {
                outcomes.foreign.append("\(source) → \(type(of: error)): \(error)")
            }
        }
        return outcomes
    }

    @Test func randomAndMutatedInputsNeverCrash() {
        let outcomes = Self.campaign(trials: 3000) { _ = try session().run($0) }
        #expect(outcomes.values > 100 && outcomes.errors > 100)
        #expect(outcomes.foreign.isEmpty, "errors that are not LangError: \(outcomes.foreign.prefix(5))")
    }

    /// The campaign's checks can fail: an interpreter that let an engine error through, or
    /// spoke Swift's words, would be caught.
    @Test func theCampaignCatchesForeignErrors() {
        let leaking = Self.campaign(trials: 300) { source in
            if source.contains("(") { throw TensorError("leaked") }
            if source.contains("[") { throw LangError(.runtime, "Optional(3) is not a number") }
        }
        #expect(leaking.foreign.contains { $0.hasSuffix("TensorError: leaked") })
        #expect(leaking.foreign.contains { $0.hasSuffix("Optional(3) is not a number") })
    }
}
