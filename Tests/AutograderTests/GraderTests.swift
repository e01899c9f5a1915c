import Foundation
import Grading
import HomeworkBridge
import REPL
import HomeworkKit
import Homework
import Solutions
import Tensors
import Testing

/// Tests of the grader itself: it must pass right answers, fail wrong ones with a useful
/// message, and skip unattempted ones.
@Suite struct GraderTests {
    func exercise(_ id: String) -> Exercise { Gradebook.exercises.first { $0.id == id }! }

    @Test func freshHomeworkIsAllUnattemptedAndReferenceIsFullMarks() {
        let stubs = Gradebook.grade(ExerciseTable(Homework.Submission.self))
        #expect(stubs.allSatisfy { $0.status == .notAttempted && $0.score == 0 })
        let ref = Gradebook.grade(ExerciseTable(Solutions.Submission.self))
        #expect(ref.allSatisfy { $0.status == .passed }, "\(ref.filter { $0.status != .passed }.map(\.messages))")
        #expect(ref.reduce(0) { $0 + $1.score } == Double(Gradebook.exercises.reduce(0) { $0 + $1.points }))
    }

    @Test func implementingOneExerciseTurnsItFromSkippedToPassed() {
        var table = ExerciseTable(Homework.Submission.self)
        #expect(Gradebook.grade(exercise("a1.relu"), table).status == .notAttempted)
        table.reluForward = { x in x.map { max(0, $0) } }
        table.reluBackward = { dOut, x in try Tensor(shape: x.shape, scalars: zip(dOut.scalars, x.scalars).map { $1 > 0 ? $0 : 0 }) }
        #expect(Gradebook.grade(exercise("a1.relu"), table).status == .passed)
        #expect(Gradebook.grade(exercise("a1.affine"), table).status == .notAttempted)
    }

    @Test func forgettingToAverageIsCaughtAndNamed() {
        var table = ExerciseTable(Solutions.Submission.self)
        table.softmaxLossVectorized = { s, y in
            let (l, d) = try Solutions.Submission.softmaxLossVectorized(scores: s, labels: y)
            return (l * Double(s.shape[0]), d * Double(s.shape[0]))
        }
        let r = Gradebook.grade(exercise("a1.softmax_loss_vectorized"), table)
        #expect(r.status == .failed)
        #expect(r.score == 0)
        #expect(r.messages.contains { $0.contains("did you divide the summed loss by N") })
        #expect(r.messages.contains { $0.contains("expected") && $0.contains("got") && $0.contains("relative error") })
    }

    @Test func partialCreditForSomeChecks() {
        var table = ExerciseTable(Solutions.Submission.self)
        // Scaling by p at test time is the non-inverted convention: only the test-mode check fails.
        table.dropoutForward = { x, p, train, g in
            train ? try Solutions.Submission.dropoutForward(x: x, p: p, train: true, generator: &g) : (x * p, x.map { _ in 1 })
        }
        let r = Gradebook.grade(exercise("a3.dropout"), table)
        #expect(r.status == .partial)
        #expect(r.score > 0 && r.score < Double(r.exercise.points))
        #expect(r.messages.contains { $0.contains("test time is the identity") })
    }

    @Test func behaviourGradingCatchesABrokenLoop() {
        var table = ExerciseTable(Solutions.Submission.self)
        table.train = { _, _, _, epochs, _, _, _, _ in Array(repeating: 2.3, count: epochs) }  // never updates
        let r = Gradebook.grade(exercise("a2.training_loop"), table)
        #expect(r.status == .partial)
        #expect(r.messages.contains { $0.contains("should fit them all") })
        var slow = ExerciseTable(Solutions.Submission.self)
        slow.sgdMomentum = { w, dw, v, lr, _ in try Solutions.Submission.sgd(w: &w, dw: dw, lr: lr / 3) }
        #expect(Gradebook.grade(exercise("a2.optimizer_comparison"), slow).messages.contains { $0.contains("momentum should need fewer steps") })
    }

    @Test func stubsSignalTodoByThrowingNotTrapping() {
        #expect(throws: Unimplemented.self) { try Homework.Submission.reluForward(x: Tensor([1])) }
    }

    @Test func committedStubsMatchRelease() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized.path
        for (name, text) in try Release.stubs(solutionsDirectory: root + "/solutions") {
            let committed = try String(contentsOfFile: root + "/Sources/Homework/" + name, encoding: .utf8)
            #expect(committed == text, "Sources/Homework/\(name) differs from what `gradschool release` produces")
        }
        let stub = Release.stub(from: "func f() -> Int {\n    // keep me\n    // BEGIN SOLUTION\n    return 1\n    // END SOLUTION\n}")
        #expect(stub.hasSuffix("func f() -> Int {\n    // keep me\n    throw Unimplemented()\n}"))
    }

    @Test func gradescopeResultsHaveTheirFields() throws {
        let results = Gradebook.grade(ExerciseTable(Homework.Submission.self))
        let json = try JSONSerialization.jsonObject(with: Data(try Report.gradescope(results).utf8)) as! [String: Any]
        #expect(json["score"] as? Double == 0)
        let tests = json["tests"] as! [[String: Any]]
        #expect(tests.count == Gradebook.exercises.count)
        #expect(tests.allSatisfy { $0["name"] != nil && $0["max_score"] != nil && ($0["output"] as? String)?.contains("not attempted") == true })
        #expect(Report.text(results).contains("Total: 0 /"))
    }
}

@Test func everyExerciseHasAHomeworkTestWithItsPoints() {
    #expect(homeworkTestIDs == Gradebook.exercises.map(\.id))
}

@Suite struct UseHomeworkAtThePromptTests {
    func transcript(_ lines: [String], homework: Bool) -> (out: [String], err: [String]) {
        var remaining = lines, out: [String] = [], err: [String] = []
        let session = Session(reader: PlainLineReader { remaining.isEmpty ? nil : remaining.removeFirst() }, out: { out.append($0) }, err: { err.append($0) })
        if homework { StudentImplementations.install(session, homework: Homework.Submission.self) }
        else { StudentImplementations.install(session, homework: Solutions.Submission.self) }
        session.run()
        return (out, err)
    }

    @Test func aFinishedImplementationTrainsLikeTheEngine() {
        let t = transcript([":use homework", "seed(1); x = randn(5, 3); w = param(randn(3, 4))",
                            "l = softmax_loss(relu(x @ w), [0, 1, 2, 3, 0]); backward(l); g1 = w.grad; zero_grad(w)",
                            ":use reference", "l2 = softmax_loss(relu(x @ w), [0, 1, 2, 3, 0]); backward(l2)",
                            "max(abs(g1 - w.grad)).item < 1e-5", "abs(l.item - l2.item) < 1e-5",
                            ":use homework", "net = two_layer_net(2, 8, 3, std: 0.5); opt = adam(net, lr: 0.01)",
                            "backward(svm_loss(net(randn(4, 2)), [0, 1, 2, 0])); opt.step(); opt.iteration"], homework: false)
        #expect(t.err.isEmpty, "\(t.err)")
        #expect(t.out.filter { $0 == "true" }.count == 2)
        #expect(t.out.last == "1")
    }

    @Test("models' ReLU, conv and pooling layers run the homework too, and match the engine")
    func modelsRunTheHomeworkLayers() {
        let t = transcript(["seed(3); net = small_convnet(size: 8); x = randn(2, 3, 8, 8)",
                            ":use homework", "y1 = net(x); backward(softmax_loss(y1, [1, 2])); g1 = net.grads[0]",
                            "zero_grad(net)", ":use reference",
                            "y2 = net(x); backward(softmax_loss(y2, [1, 2]))",
                            "max(abs(y1 - y2)).item < 1e-4", "max(abs(g1 - net.grads[0])).item < 1e-4"], homework: false)
        #expect(t.err.isEmpty, "\(t.err)")
        #expect(t.out.suffix(2) == ["true", "true"])
        let unfinished = transcript(["net = small_convnet(size: 8); x = randn(1, 3, 8, 8)", ":use homework", "net(x)",
                                     ":use reference", "net(x).shape"], homework: true)
        #expect(unfinished.err.first?.contains("is not finished yet") == true, "\(unfinished.err)")
        #expect(unfinished.err.count == 1)
        #expect(unfinished.out.last == "[1, 10]")
    }

    @Test("a model's dropout layer runs the homework while training, the engine at test time")
    func dropoutLayersRunTheHomework() {
        let t = transcript([":use homework", "net = sequential(Dropout(p: 0.5)); x = ones(4, 50)",
                            "y = net(x); m = net.layers[0].mask", "sum(abs(y - 2 * m)).item", "sum(m).item > 50",
                            "net.training = false; sum(net(x)).item"], homework: false)
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
