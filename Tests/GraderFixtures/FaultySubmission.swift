import Foundation
import Grading
import HomeworkKit
import Solutions
import Tensors

/// Submissions that misbehave the way real homework does, for proving the grader's isolation:
/// the reference solutions with a few exercises replaced.
public enum FixtureSubmission: String, Codable, Sendable, CaseIterable {
    case solutions
    /// relu traps (index out of range), affine hangs, the naive softmax eats memory, L2 calls
    /// exit(0), L1 forges result records and the results file, SVM forgets 1/N.
    case faulty

    public var table: ExerciseTable {
        var t = ExerciseTable.solutions
        guard self == .faulty else { return t }
        t.reluForward = { x in try Faults.trappingRelu(x) }
        t.affineForward = { x, w, b in try Faults.endlessAffine(x, w, b) }
        t.softmaxLossNaive = { s, y in try Faults.memoryHungrySoftmax(s, y) }
        t.l2Regularization = { w, reg in Faults.exitEarly(w, reg) }
        t.l1Regularization = { w, reg in try Faults.forgedL1(w, reg) }
        t.svmLoss = { s, y in
            print("debug: svm on \(s.shape)")
            let (l, d) = try Solutions.Submission.svmLoss(scores: s, labels: y)
            return (l * Double(s.shape[0]), d * Double(s.shape[0]))
        }
        return t
    }

    /// Where a crash in these fixtures points.
    public static let sourceMarker = "Tests/GraderFixtures/"
    /// The file a forging submission tries to overwrite (set by the test).
    public static let forgeTargetVariable = "GRADER_FIXTURE_FORGE_TARGET"
}

public enum FaultyExpectation {
    /// Exercise id → the process failure the faulty submission must get, or nil for a plain result.
    public static let failures: [String: ProcessFailure] = [
        "a1.relu": .crashed, "a1.affine": .timedOut, "a1.softmax_loss_naive": .outOfMemory, "a1.l2_regularization": .exitedEarly
    ]
    /// Exercises that must score 0 without a process failure (the forgery) or lose points (the wrong SVM).
    public static let forged = "a1.l1_regularization"
    public static let wrong = "a1.svm_loss"
}

enum Faults {
    static func trappingRelu(_ x: Tensor<Double>) throws -> Tensor<Double> {
        var out = x.scalars
        print("debug: relu on \(x.shape)")
        for i in 0...out.count { out[i] = max(0, x.scalars[i]) }  // one past the end
        return try Tensor(shape: x.shape, scalars: out)
    }

    static func endlessAffine(_ x: Tensor<Double>, _ w: Tensor<Double>, _ b: Tensor<Double>) throws -> Tensor<Double> {
        var i = 0
        while i >= 0 { i = (i &+ 1) % 1_000 }
        return x
    }

    static func memoryHungrySoftmax(_ s: Tensor<Double>, _ y: [Int]) throws -> (loss: Double, dScores: Tensor<Double>) {
        // Buffers of 256 MiB each, kept and never freed (untouched, so the limit, not the
        // time to fault in pages, is what ends it).
        var hoard: [[Double]] = []
        while hoard.count < 1_000_000 {
            hoard.append(
                [Double](unsafeUninitializedCapacity: 1 << 25) { buffer, count in
                    buffer[0] = 1; count = 1
                })
        }
        return (hoard[0][0], s)
    }

    static func exitEarly(_ w: Tensor<Double>, _ reg: Double) -> (loss: Double, dWeights: Tensor<Double>) {
        print("done early")
        exit(0)
    }

    /// Prints what a result record might look like, tries to write the report file, and
    /// returns a wrong answer.
    static func forgedL1(_ w: Tensor<Double>, _ reg: Double) throws -> (loss: Double, dWeights: Tensor<Double>) {
        let fake = #"[{"name":"penalty","maxScore":100,"score":100,"status":"passed","visibility":"visible"},{"name":"gradient","maxScore":100,"score":100,"status":"passed","visibility":"visible"}]"#
        print("gs-0000000000000000 result \(fake)")
        print("result \(fake)")
        if let target = ProcessInfo.processInfo.environment[FixtureSubmission.forgeTargetVariable] {
            try? #"{"score": 1000, "tests": []}"#.write(toFile: target, atomically: true, encoding: .utf8)
        }
        return (0, w)
    }
}

/// The reference project's trained model, committed beside the reference answers.
public let referenceCheckpoint = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("solutions/" + ProjectRules.checkpointPath).path

extension ExerciseTable {
    /// The reference answers, reading the reference project's checkpoint.
    public static var solutions: ExerciseTable { ExerciseTable(Solutions.Submission.self, checkpoint: referenceCheckpoint) }
}
