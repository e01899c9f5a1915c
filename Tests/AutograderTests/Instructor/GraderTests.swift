import Foundation
import GraderFixtures
import Grading
import Homework
import HomeworkBridge
import HomeworkKit
import REPL
import Solutions
import Tensors
import Terminal
import Testing

func exercise(_ id: String) -> Exercise { Gradebook.exercise(id)! }
var reference: ExerciseTable { ExerciseTable.solutions }

/// Tests of the grader itself: it must pass right answers, fail wrong ones with a useful
/// message, and skip unattempted ones.
@Suite struct GraderTests {
    @Test func freshHomeworkIsAllUnattemptedAndReferenceIsFullMarks() {
        let stubs = Gradebook.grade(ExerciseTable(Homework.Submission.self))
        #expect(stubs.allSatisfy { $0.status == .notAttempted && $0.score == 0 })
        let ref = Gradebook.grade(reference)
        #expect(ref.allSatisfy { $0.status == .passed }, "\(ref.filter { $0.status != .passed }.map(\.messages))")
        #expect(ref.reduce(0) { $0 + $1.score } == Gradebook.exercises.reduce(0) { $0 + $1.maxScore })
    }

    @Test func implementingOneExerciseTurnsItFromSkippedToPassed() {
        var table = ExerciseTable(Homework.Submission.self)
        #expect(Gradebook.grade(exercise("a1.relu"), table).status == .notAttempted)
        table.reluForward = { x in x.map { max(0, $0) } }
        table.reluBackward = { dOut, x in try Tensor(shape: x.shape, scalars: zip(dOut.scalars, x.scalars).map { $1 > 0 ? $0 : 0 }) }
        #expect(Gradebook.grade(exercise("a1.relu"), table).status == .passed)
        #expect(Gradebook.grade(exercise("a1.affine"), table).status == .notAttempted)
    }

    @Test("a part that is done earns its points while another still throws Unimplemented, and the missing part is named")
    func partsEarnTheirOwnPoints() {
        var table = ExerciseTable(Homework.Submission.self)
        table.reluForward = { x in x.map { max(0, $0) } }
        let r = Gradebook.grade(exercise("a1.relu"), table)
        #expect(r.status == .partial)
        #expect(r.score == 1)
        #expect(r.parts.map(\.status) == [.passed, .notAttempted])
        #expect(r.messages.contains { $0.hasPrefix("backward: not attempted yet") && $0.contains("reluBackward") })
    }

    @Test func forgettingToAverageIsCaughtAndNamed() {
        var table = reference
        table.softmaxLossVectorized = { s, y in
            let (l, d) = try Solutions.Submission.softmaxLossVectorized(scores: s, labels: y)
            return (l * Double(s.shape[0]), d * Double(s.shape[0]))
        }
        let r = Gradebook.grade(exercise("a1.softmax_loss_vectorized"), table)
        #expect(r.status == .failed)
        #expect(r.score == 0)
        #expect(r.messages.contains { $0.contains("did you divide the summed loss by N") })
        #expect(r.messages.contains { $0.contains("expected") && $0.contains("got") && $0.contains("relative error") && $0.contains("scores of shape") })
        #expect(r.messages.contains { $0.contains("GRADSCHOOL_GRADE_SEED=") })
    }

    @Test("a failure names the worst element's position, expected and got")
    func failuresNameTheWorstElement() {
        var table = reference
        table.convForwardNaive = { x, w, b, s, p in
            var out = try Solutions.Submission.convForwardNaive(x: x, w: w, b: b, stride: s, pad: p)
            out.scalars[out.count - 1] += 1
            return out
        }
        let r = Gradebook.grade(exercise("a3.conv_forward_naive"), table)
        let message = r.messages.first
        #expect(message?.contains("stride 1, pad 0") == true, "\(r.messages)")
        #expect(message?.contains(" at [") == true)
    }

    @Test func partialCreditForSomeParts() {
        var table = reference
        // Scaling by p at test time is the non-inverted convention: only the test-mode part fails.
        table.dropoutForward = { x, p, train, g in
            train ? try Solutions.Submission.dropoutForward(x: x, p: p, train: true, generator: &g) : (x * p, x.map { _ in 1 })
        }
        let r = Gradebook.grade(exercise("a3.dropout"), table)
        #expect(r.status == .partial)
        #expect(r.score == 3)
        #expect(r.messages.contains { $0.hasPrefix("test mode:") && $0.contains("test time is the identity") })
    }

    @Test func behaviourGradingCatchesABrokenLoop() {
        var table = reference
        table.train = { _, _, _, epochs, _, _, _, _ in Array(repeating: 2.3, count: epochs) }  // never updates
        let r = Gradebook.grade(exercise("a2.training_loop"), table)
        #expect(r.score == 0)
        #expect(r.messages.contains { $0.contains("should fit them all") })
    }

    @Test func stubsSignalTodoByThrowingNotTrapping() {
        #expect(throws: Unimplemented.self) { try Homework.Submission.reluForward(x: Tensor([1])) }
    }

    @Test("seeds come from a stable hash: the same run seed gives the same inputs, another seed other inputs")
    func seedsAreStable() {
        let e = exercise("a1.svm_loss")
        #expect(StableHash.fnv1a("") == 0xcbf2_9ce4_8422_2325)
        #expect(StableHash.fnv1a("a") == 0xaf63_dc4c_8601_ec8c)
        var g1 = e.generator(for: e.parts[0], runSeed: 7), g2 = e.generator(for: e.parts[0], runSeed: 7)
        var g3 = e.generator(for: e.parts[0], runSeed: 8), g4 = e.generator(for: e.parts[1], runSeed: 7)
        let a = g1.next()
        #expect(a == g2.next())
        #expect(a != g3.next())
        #expect(a != g4.next())
    }

    @Test func gradescopeResultsFollowTheSchema() throws {
        var table = reference
        table.reluBackward = { _, x in x }
        let results = Gradebook.grade(table, seed: 3)
        let json = try JSONSerialization.jsonObject(with: Data(try Report.gradescope(results, seed: 3).utf8)) as! [String: Any]
        try validateGradescope(json)
        let tests = json["tests"] as! [[String: Any]]
        let hiddenParts = Gradebook.exercises.flatMap(\.parts).filter { $0.visibility != .visible && $0.leaderboardOrder == nil }
        #expect(tests.count == Gradebook.exercises.count + hiddenParts.count)
        let ranked = (json["leaderboard"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
        #expect(ranked == ["conv forward (ms)", "test accuracy (%)"], "the reference's conv forward and project are ranked")
        #expect(tests.contains { $0["visibility"] as? String == "after_published" })
        let relu = try #require(tests.first { ($0["name"] as? String)?.hasPrefix("a1.relu") == true })
        #expect(relu["status"] as? String == "failed" && relu["score"] as? Double == 1 && relu["max_score"] as? Double == 2)
        #expect(Report.text(Gradebook.grade(ExerciseTable(Homework.Submission.self))).contains("Total: 0 /"))
    }
}

/// Gradescope's results.json: the top level's and each test's fields and their types.
func validateGradescope(_ json: [String: Any], sourceLocation: SourceLocation = #_sourceLocation) throws {
    let allowedTop: Set<String> = ["score", "execution_time", "output", "output_format", "visibility", "stdout_visibility", "extra_data", "tests", "leaderboard"]
    #expect(Set(json.keys).isSubset(of: allowedTop), "unknown keys \(Set(json.keys).subtracting(allowedTop))", sourceLocation: sourceLocation)
    #expect(json["score"] is Double || json["score"] is Int, sourceLocation: sourceLocation)
    let visibilities: Set<String> = ["hidden", "after_due_date", "after_published", "visible"]
    let tests = try #require(json["tests"] as? [[String: Any]], sourceLocation: sourceLocation)
    let allowed: Set<String> = ["score", "max_score", "status", "name", "name_format", "number", "output", "output_format", "tags", "visibility", "extra_data"]
    for t in tests {
        #expect(Set(t.keys).isSubset(of: allowed), "unknown test keys \(Set(t.keys).subtracting(allowed))", sourceLocation: sourceLocation)
        #expect(t["name"] is String && t["output"] is String && t["max_score"] is Double, sourceLocation: sourceLocation)
        #expect(["passed", "failed"].contains(t["status"] as? String ?? ""), sourceLocation: sourceLocation)
        #expect(visibilities.contains(t["visibility"] as? String ?? ""), sourceLocation: sourceLocation)
        let score = try #require(t["score"] as? Double, sourceLocation: sourceLocation), max = t["max_score"] as? Double ?? 0
        #expect(score >= 0 && score <= max, sourceLocation: sourceLocation)
    }
    if let v = json["visibility"] as? String { #expect(visibilities.contains(v), sourceLocation: sourceLocation) }
    if let board = json["leaderboard"] as? [[String: Any]] {
        for row in board { #expect(row["name"] is String && row["value"] != nil, sourceLocation: sourceLocation) }
    }
}

@Test func everyExerciseHasAHomeworkTestWithItsPoints() {
    #expect(homeworkTests.map(\.id) == Gradebook.exercises.map(\.id))
    #expect(homeworkTests.map(\.points) == Gradebook.exercises.map(\.points))
    for e in Gradebook.exercises {
        let visible = e.parts.filter { $0.visibility == .visible }.reduce(0) { $0 + $1.points }
        #expect(visible == Double(e.points), "\(e.id)'s visible parts add up to \(visible)")
    }
}

@Suite struct UseHomeworkAtThePromptTests {
    func transcript(_ lines: [String], homework: Bool) -> (out: [String], err: [String]) {
        var remaining = lines, out: [String] = [], err: [String] = []
        let session = Session(reader: PlainLineReader { remaining.isEmpty ? nil : remaining.removeFirst() }, out: { out.append($0) }, err: { err.append($0) })
        if homework { StudentImplementations.install(session, homework: Homework.Submission.self) } else { StudentImplementations.install(session, homework: Solutions.Submission.self) }
        session.run()
        return (out, err)
    }

    @Test func aFinishedImplementationTrainsLikeTheEngine() {
        let t = transcript(
            [
                ":use homework", "seed(1); x = randn(5, 3); w = param(randn(3, 4))",
                "l = softmax_loss(relu(x @ w), [0, 1, 2, 3, 0]); backward(l); g1 = w.grad; zero_grad(w)",
                ":use reference", "l2 = softmax_loss(relu(x @ w), [0, 1, 2, 3, 0]); backward(l2)",
                "max(abs(g1 - w.grad)).item < 1e-5", "abs(l.item - l2.item) < 1e-5",
                ":use homework", "net = two_layer_net(2, 8, 3, std: 0.5); opt = adam(net, lr: 0.01)",
                "backward(svm_loss(net(randn(4, 2)), [0, 1, 2, 0])); opt.step(); opt.iteration"
            ], homework: false)
        #expect(t.err.isEmpty, "\(t.err)")
        #expect(t.out.filter { $0 == "true" }.count == 2)
        #expect(t.out.last == "1")
    }

    @Test("models' ReLU, conv and pooling layers run the homework too, and match the engine")
    func modelsRunTheHomeworkLayers() {
        let t = transcript(
            [
                "seed(3); net = small_convnet(size: 8); x = randn(2, 3, 8, 8)",
                ":use homework", "y1 = net(x); backward(softmax_loss(y1, [1, 2])); g1 = net.grads[0]",
                "zero_grad(net)", ":use reference",
                "y2 = net(x); backward(softmax_loss(y2, [1, 2]))",
                "max(abs(y1 - y2)).item < 1e-4", "max(abs(g1 - net.grads[0])).item < 1e-4"
            ], homework: false)
        #expect(t.err.isEmpty, "\(t.err)")
        #expect(t.out.suffix(2) == ["true", "true"])
        let unfinished = transcript(
            [
                "net = small_convnet(size: 8); x = randn(1, 3, 8, 8)", ":use homework", "net(x)",
                ":use reference", "net(x).shape"
            ], homework: true)
        #expect(unfinished.err.first?.contains("is not finished yet") == true, "\(unfinished.err)")
        #expect(unfinished.err.count == 1)
        #expect(unfinished.out.last == "[1, 10]")
    }

    @Test("models' batch-norm and layer-norm layers run the homework while training, and match the engine")
    func normalizationLayersRunTheHomework() {
        let t = transcript(
            [
                "seed(5); net = sequential(BatchNorm(3), LayerNorm(3)); x = randn(6, 3) * 3 + 1",
                "conv = BatchNorm(2, spatial: true); z = randn(2, 2, 3, 3) * 2 - 1",
                ":use homework", "y1 = net(x); backward(sum(y1 * x)); g1 = net.grads[0]; g2 = net.grads[2]",
                "v1 = conv(z); backward(sum(v1 * z)); h1 = conv.grads[0]; r1 = conv.running_var",
                "zero_grad(net); zero_grad(conv)", ":use reference",
                "y2 = net(x); backward(sum(y2 * x)); v2 = conv(z); backward(sum(v2 * z))",
                "max(abs(y1 - y2)).item < 1e-4", "max(abs(g1 - net.grads[0])).item < 1e-4", "max(abs(g2 - net.grads[2])).item < 1e-4",
                "max(abs(v1 - v2)).item < 1e-4", "max(abs(h1 - conv.grads[0])).item < 1e-4",
                "max(abs(r1 - conv.running_var)).item > 1e-3"
            ], homework: false)
        #expect(t.err.isEmpty, "\(t.err)")
        #expect(t.out.suffix(6) == ["true", "true", "true", "true", "true", "true"], "\(t.out)")
        let unfinished = transcript(["net = sequential(BatchNorm(3)); x = randn(4, 3)", ":use homework", "net(x)"], homework: true)
        #expect(unfinished.err.first?.contains("batchnormForward is not finished yet") == true, "\(unfinished.err)")
    }

    @Test("a model's dropout layer runs the homework while training, the engine at test time")
    func dropoutLayersRunTheHomework() {
        let t = transcript(
            [
                ":use homework", "net = sequential(Dropout(p: 0.5)); x = ones(4, 50)",
                "y = net(x); m = net.layers[0].mask", "sum(abs(y - 2 * m)).item", "sum(m).item > 50",
                "net.training = false; sum(net(x)).item"
            ], homework: false)
        #expect(t.err.isEmpty, "\(t.err)")
        #expect(t.out.suffix(3) == ["0", "true", "200"])
        let unfinished = transcript([":use homework", "net = sequential(Dropout(p: 0.5))", "net(ones(2, 3))"], homework: true)
        #expect(unfinished.err.first?.contains("dropoutForward is not finished yet") == true, "\(unfinished.err)")
    }

    @Test func anUnfinishedExerciseSaysSoPlainly() {
        let t = transcript([":use homework", "relu(tensor([1, -1]))"], homework: true)
        #expect(t.err.first?.contains("reluForward is not finished yet") == true)
    }
}
