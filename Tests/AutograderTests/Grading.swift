import Grading
import Homework
import Solutions
import Testing

extension Exercise: CustomTestStringConvertible {}

/// Grades one exercise inside a test: not attempted → the test is cancelled (reported as
/// skipped, 0 points); wrong → one issue per failed check, with the teaching message.
func autograde(_ exercise: Exercise, _ table: ExerciseTable, skipUnattempted: Bool) throws {
    let result = Gradebook.grade(exercise, table)
    switch result.status {
    case .passed:
        break
    case .notAttempted:
        if skipUnattempted { try Test.cancel("\(exercise.id): not attempted yet — 0/\(exercise.points) points") }
        Issue.record("\(exercise.id) is not implemented")
    case .partial, .failed:
        for message in result.messages { Issue.record(Comment(rawValue: "\(message)")) }
    }
}

var homework: ExerciseTable { ExerciseTable(Homework.Submission.self) }
var reference: ExerciseTable { ExerciseTable(Solutions.Submission.self) }

// The student's work in Sources/Homework, one test per exercise with its points in the
// name. An exercise that still throws Unimplemented is cancelled: reported as skipped, 0 points.

/// Grades one homework exercise by its stable id.
func gradeHomework(_ id: String) throws {
    let exercise = try #require(Gradebook.exercises.first { $0.id == id }, "no exercise \(id)")
    try autograde(exercise, homework, skipUnattempted: true)
}

@Suite("Assignment 1 — losses and gradients")
struct Assignment1 {
    @Test("a1.softmax_loss_naive [4 pts]") func softmaxLossNaive() throws { try gradeHomework("a1.softmax_loss_naive") }
    @Test("a1.softmax_loss_vectorized [4 pts]") func softmaxLossVectorized() throws { try gradeHomework("a1.softmax_loss_vectorized") }
    @Test("a1.svm_loss [4 pts]") func svmLoss() throws { try gradeHomework("a1.svm_loss") }
    @Test("a1.l2_regularization [2 pts]") func l2Regularization() throws { try gradeHomework("a1.l2_regularization") }
    @Test("a1.l1_regularization [2 pts]") func l1Regularization() throws { try gradeHomework("a1.l1_regularization") }
    @Test("a1.numerical_gradient [3 pts]") func numericalGradient() throws { try gradeHomework("a1.numerical_gradient") }
    @Test("a1.relative_error [1 pts]") func relativeError() throws { try gradeHomework("a1.relative_error") }
    @Test("a1.affine [4 pts]") func affine() throws { try gradeHomework("a1.affine") }
    @Test("a1.relu [2 pts]") func relu() throws { try gradeHomework("a1.relu") }
    @Test("a1.init_two_layer_net [2 pts]") func initTwoLayerNet() throws { try gradeHomework("a1.init_two_layer_net") }
    @Test("a1.two_layer_net_loss [6 pts]") func twoLayerNetLoss() throws { try gradeHomework("a1.two_layer_net_loss") }
}

@Suite("Assignment 2 — training")
struct Assignment2 {
    @Test("a2.sample_batch [2 pts]") func sampleBatch() throws { try gradeHomework("a2.sample_batch") }
    @Test("a2.sgd [1 pts]") func sgd() throws { try gradeHomework("a2.sgd") }
    @Test("a2.sgd_momentum [2 pts]") func sgdMomentum() throws { try gradeHomework("a2.sgd_momentum") }
    @Test("a2.rmsprop [2 pts]") func rmsprop() throws { try gradeHomework("a2.rmsprop") }
    @Test("a2.adam [3 pts]") func adam() throws { try gradeHomework("a2.adam") }
    @Test("a2.schedules [2 pts]") func schedules() throws { try gradeHomework("a2.schedules") }
    @Test("a2.training_loop [6 pts]") func trainingLoop() throws { try gradeHomework("a2.training_loop") }
    @Test("a2.optimizer_comparison [3 pts]") func optimizerComparison() throws { try gradeHomework("a2.optimizer_comparison") }
}

@Suite("Assignment 3 — ConvNets and regularization")
struct Assignment3 {
    @Test("a3.dropout [4 pts]") func dropout() throws { try gradeHomework("a3.dropout") }
    @Test("a3.conv_forward_naive [5 pts]") func convForwardNaive() throws { try gradeHomework("a3.conv_forward_naive") }
    @Test("a3.conv_backward_naive [6 pts]") func convBackwardNaive() throws { try gradeHomework("a3.conv_backward_naive") }
    @Test("a3.max_pool [4 pts]") func maxPool() throws { try gradeHomework("a3.max_pool") }
    @Test("a3.mean_subtraction [3 pts]") func meanSubtraction() throws { try gradeHomework("a3.mean_subtraction") }
    @Test("a3.crop_and_flip [3 pts]") func cropAndFlip() throws { try gradeHomework("a3.crop_and_flip") }
}

/// Every exercise in the gradebook has a homework test above.
let homeworkTestIDs = ["a1.softmax_loss_naive", "a1.softmax_loss_vectorized", "a1.svm_loss", "a1.l2_regularization", "a1.l1_regularization", "a1.numerical_gradient", "a1.relative_error", "a1.affine", "a1.relu", "a1.init_two_layer_net", "a1.two_layer_net_loss", "a2.sample_batch", "a2.sgd", "a2.sgd_momentum", "a2.rmsprop", "a2.adam", "a2.schedules", "a2.training_loop", "a2.optimizer_comparison", "a3.dropout", "a3.conv_forward_naive", "a3.conv_backward_naive", "a3.max_pool", "a3.mean_subtraction", "a3.crop_and_flip"]

// The reference answers in solutions/ must earn full marks from the same checks.
@Suite("Reference solutions get full marks")
struct ReferenceSolutions {
    @Test("exercise", arguments: Gradebook.exercises)
    func grade(_ exercise: Exercise) throws { try autograde(exercise, reference, skipUnattempted: false) }
}
