import GraderFixtures
import Grading
import Solutions
import Testing

// The reference answers in solutions/ must earn full marks from the same checks.
@Suite("Reference solutions get full marks")
struct ReferenceSolutions {
    @Test("exercise", arguments: Gradebook.exercises)
    func grade(_ exercise: Exercise) throws {
        let result = Gradebook.grade(exercise, ExerciseTable.solutions)
        #expect(result.status == .passed, "\(result.messages)")
        #expect(result.score == exercise.maxScore)
    }
}
