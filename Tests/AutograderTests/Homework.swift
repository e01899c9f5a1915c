import Foundation
import Grading
import Homework
import Testing

#if GRADSCHOOL_SOLUTIONS
    import GraderFixtures
#endif

extension Exercise: CustomTestStringConvertible {}

/// What an isolated child grades: the student's homework or a fixture.
/// (Fixtures, the grader's own test subjects, are in the instructor's tree only.)
enum GradedCode: Codable, Sendable {
    case homework
    #if GRADSCHOOL_SOLUTIONS
        case fixture(FixtureSubmission)
    #endif

    var table: ExerciseTable {
        switch self {
        case .homework: ExerciseTable(Homework.Submission.self)
        #if GRADSCHOOL_SOLUTIONS
            case .fixture(let f): f.table
        #endif
        }
    }
    var sourceMarker: String {
        #if GRADSCHOOL_SOLUTIONS
            if case .fixture = self { return FixtureSubmission.sourceMarker }
        #endif
        return IsolatedGrading.homeworkSourceMarker
    }
}

/// Crashes in grading children print a symbolicated backtrace (for the student's file:line).
/// Set once, before the first child starts; children inherit the environment.
let backtracesInChildren: Void = { setenv("SWIFT_BACKTRACE", IsolatedGrading.backtraceSetting, 0) }()

/// Grades one exercise in a child process of the test binary (a Swift Testing exit test):
/// a trap, a hang or a runaway allocation ends only that child. The child always ends
/// with a non-zero status, so every outcome comes back with its output.
func gradeIsolated(
    _ exercise: Exercise, _ code: GradedCode, seed: UInt64 = Gradebook.runSeed,
    limits: GradingLimits? = nil
) async -> ExerciseResult {
    _ = backtracesInChildren
    let env = GradingLimits.fromEnvironment
    let applied = limits ?? env.limits.applied(to: exercise, forced: env.forced)
    let nonce = IsolatedGrading.newNonce(), id = exercise.id
    let started = Date()
    let child = await #expect(processExitsWith: .failure, observing: [\.standardOutputContent, \.standardErrorContent]) { [id = id as String, code = code as GradedCode, seed = seed as UInt64, nonce = nonce as String, applied = applied as GradingLimits] in
        IsolatedWorker.run(exerciseID: id, table: code.table, seed: seed, nonce: nonce, limits: applied)
    }
    var termination = ChildTermination.unknown
    switch child?.exitStatus {
    case .exitCode(let c)?: termination = .exited(c)
    case .signal(let s)?: termination = .signaled(s)
    default: break
    }
    let outcome = ChildOutcome(
        termination: termination, standardOutput: child?.standardOutputContent ?? [],
        standardError: child?.standardErrorContent ?? [], seconds: Date().timeIntervalSince(started))
    return IsolatedGrading.result(for: exercise, outcome: outcome, nonce: nonce, seed: seed, limits: applied, sourceMarker: code.sourceMarker)
}

/// Reports a result as a test: passed → nothing; not attempted → cancelled (shown as
/// skipped, 0 points); otherwise one issue per message, with the points earned and what
/// the code printed.
func report(_ result: ExerciseResult) throws {
    let exercise = result.exercise
    switch result.status {
    case .passed:
        return
    case .notAttempted:
        try Test.cancel("\(exercise.id): not attempted yet — 0/\(exercise.points) points")
    case .partial, .failed:
        let earned = Report.format(result.visibleScore)
        var summary =
            "\(exercise.id): \(earned)/\(exercise.points) points — "
            + result.parts.filter { $0.visibility == .visible }
            .map { "\($0.name) \($0.status == .passed ? "✓" : "✗")" }.joined(separator: ", ")
        if !result.output.isEmpty { summary += "\nyour output:\n" + result.output }
        Issue.record(Comment(rawValue: summary))
        for message in result.messages { Issue.record(Comment(rawValue: message)) }
    }
}

// The student's work in Sources/Homework, one test per exercise with its points in the
// name, each graded in its own process. An exercise that still throws Unimplemented is
// cancelled: reported as skipped, 0 points.

/// Grades one homework exercise by its stable id.
func gradeHomework(_ id: String) async throws {
    let exercise = try #require(Gradebook.exercise(id), "no exercise \(id)")
    try report(await gradeIsolated(exercise, .homework))
}

@Suite("Assignment 1 — losses and gradients")
struct Assignment1 {
    @Test("a1.softmax_loss_naive [4 pts]") func softmaxLossNaive() async throws { try await gradeHomework("a1.softmax_loss_naive") }
    @Test("a1.softmax_loss_vectorized [4 pts]") func softmaxLossVectorized() async throws { try await gradeHomework("a1.softmax_loss_vectorized") }
    @Test("a1.svm_loss [4 pts]") func svmLoss() async throws { try await gradeHomework("a1.svm_loss") }
    @Test("a1.l2_regularization [2 pts]") func l2Regularization() async throws { try await gradeHomework("a1.l2_regularization") }
    @Test("a1.l1_regularization [2 pts]") func l1Regularization() async throws { try await gradeHomework("a1.l1_regularization") }
    @Test("a1.numerical_gradient [3 pts]") func numericalGradient() async throws { try await gradeHomework("a1.numerical_gradient") }
    @Test("a1.relative_error [1 pts]") func relativeError() async throws { try await gradeHomework("a1.relative_error") }
    @Test("a1.affine [4 pts]") func affine() async throws { try await gradeHomework("a1.affine") }
    @Test("a1.relu [2 pts]") func relu() async throws { try await gradeHomework("a1.relu") }
    @Test("a1.init_two_layer_net [2 pts]") func initTwoLayerNet() async throws { try await gradeHomework("a1.init_two_layer_net") }
    @Test("a1.two_layer_net_loss [6 pts]") func twoLayerNetLoss() async throws { try await gradeHomework("a1.two_layer_net_loss") }
}

@Suite("Assignment 2 — training")
struct Assignment2 {
    @Test("a2.sample_batch [2 pts]") func sampleBatch() async throws { try await gradeHomework("a2.sample_batch") }
    @Test("a2.sgd [1 pts]") func sgd() async throws { try await gradeHomework("a2.sgd") }
    @Test("a2.sgd_momentum [2 pts]") func sgdMomentum() async throws { try await gradeHomework("a2.sgd_momentum") }
    @Test("a2.rmsprop [2 pts]") func rmsprop() async throws { try await gradeHomework("a2.rmsprop") }
    @Test("a2.adam [3 pts]") func adam() async throws { try await gradeHomework("a2.adam") }
    @Test("a2.schedules [2 pts]") func schedules() async throws { try await gradeHomework("a2.schedules") }
    @Test("a2.training_loop [6 pts]") func trainingLoop() async throws { try await gradeHomework("a2.training_loop") }
    @Test("a2.optimizer_comparison [3 pts]") func optimizerComparison() async throws { try await gradeHomework("a2.optimizer_comparison") }
}

@Suite("Assignment 3 — ConvNets and regularization")
struct Assignment3 {
    @Test("a3.dropout [4 pts]") func dropout() async throws { try await gradeHomework("a3.dropout") }
    @Test("a3.conv_forward_naive [5 pts]") func convForwardNaive() async throws { try await gradeHomework("a3.conv_forward_naive") }
    @Test("a3.conv_backward_naive [6 pts]") func convBackwardNaive() async throws { try await gradeHomework("a3.conv_backward_naive") }
    @Test("a3.max_pool [4 pts]") func maxPool() async throws { try await gradeHomework("a3.max_pool") }
    @Test("a3.mean_subtraction [3 pts]") func meanSubtraction() async throws { try await gradeHomework("a3.mean_subtraction") }
    @Test("a3.crop_and_flip [3 pts]") func cropAndFlip() async throws { try await gradeHomework("a3.crop_and_flip") }
    @Test("a3.im2col [6 pts]") func im2col() async throws { try await gradeHomework("a3.im2col") }
}

@Suite("Assignment 4 — normalization, deep nets and a Solver")
struct Assignment4 {
    @Test("a4.batchnorm_forward [5 pts]") func batchnormForward() async throws { try await gradeHomework("a4.batchnorm_forward") }
    @Test("a4.batchnorm_backward [4 pts]") func batchnormBackward() async throws { try await gradeHomework("a4.batchnorm_backward") }
    @Test("a4.batchnorm_backward_alt [3 pts]") func batchnormBackwardAlt() async throws { try await gradeHomework("a4.batchnorm_backward_alt") }
    @Test("a4.spatial_batchnorm [7 pts]") func spatialBatchnorm() async throws { try await gradeHomework("a4.spatial_batchnorm") }
    @Test("a4.layernorm [4 pts]") func layernorm() async throws { try await gradeHomework("a4.layernorm") }
    @Test("a4.fully_connected_net [8 pts]") func fullyConnectedNet() async throws { try await gradeHomework("a4.fully_connected_net") }
    @Test("a4.solver [8 pts]") func solver() async throws { try await gradeHomework("a4.solver") }
}

@Suite("Assignment 5 — final project")
struct Assignment5 {
    @Test("a5.project [10 pts]") func project() async throws { try await gradeHomework("a5.project") }
}

/// Every exercise in the gradebook has a homework test above, named with its points.
let homeworkTests: [(id: String, points: Int)] = [
    ("a1.softmax_loss_naive", 4), ("a1.softmax_loss_vectorized", 4), ("a1.svm_loss", 4), ("a1.l2_regularization", 2),
    ("a1.l1_regularization", 2), ("a1.numerical_gradient", 3), ("a1.relative_error", 1), ("a1.affine", 4), ("a1.relu", 2),
    ("a1.init_two_layer_net", 2), ("a1.two_layer_net_loss", 6), ("a2.sample_batch", 2), ("a2.sgd", 1), ("a2.sgd_momentum", 2),
    ("a2.rmsprop", 2), ("a2.adam", 3), ("a2.schedules", 2), ("a2.training_loop", 6), ("a2.optimizer_comparison", 3),
    ("a3.dropout", 4), ("a3.conv_forward_naive", 5), ("a3.conv_backward_naive", 6), ("a3.max_pool", 4),
    ("a3.mean_subtraction", 3), ("a3.crop_and_flip", 3), ("a3.im2col", 6), ("a4.batchnorm_forward", 5), ("a4.batchnorm_backward", 4),
    ("a4.batchnorm_backward_alt", 3), ("a4.spatial_batchnorm", 7), ("a4.layernorm", 4), ("a4.fully_connected_net", 8), ("a4.solver", 8),
    ("a5.project", 10)
]
