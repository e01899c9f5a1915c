import Foundation
import Lang
import Lessons
import Testing

/// Every check cell of every lesson can fail: with one value computed by the earlier cells
/// made wrong, the check stops (see `CheckFalsifier`).
@Suite struct CheckFalsifiabilityTests {
    @Test(.serialized, arguments: LessonTests.all.map(\.name))
    func everyCheckCanFail(name: String) throws {
        let lesson = try #require(LessonTests.all.first { $0.name == name })
        let verdicts = CheckFalsifier.audit(lesson)
        #expect(verdicts.count == lesson.cells.filter { $0.kind == .check }.count, "\(verdicts)")
        for v in verdicts {
            #expect(v.error == nil && v.falsifiable, "\(v)")
        }
    }

    /// The falsifier itself can tell a check that tests something from one that cannot fail.
    @Test func theFalsifierFlagsChecksThatCannotFail() throws {
        let text = """
            ```gs
            xs = [1, 2, 3]
            loss = 0.25
            ```
            ```check
            expect(2 * 3 * 3 < 5 * 5, "a constant")
            ```
            ```check
            expect(sqrt(4) == 2, "a builtin of a literal")
            ```
            ```check
            expect(len(xs) < 1000, "a bound no plausible run reaches")
            ```
            ```check
            expect(loss < 0.5, "a claim about the computed loss")
            ```
            ```check
            expect(len(xs) == 3 and xs[0] == 1, "exact values")
            ```
            """
        let lesson = try Lesson(text: text, number: 1, slug: "probe")
        let verdicts = CheckFalsifier.audit(lesson)
        #expect(verdicts.map(\.falsifiable) == [false, false, false, true, true])
        #expect(verdicts[0].sites == 0 && verdicts[1].sites == 0)
        #expect(verdicts[2].sites > 0 && verdicts[2].runs > 0)
        #expect(verdicts[3].falsifiedBy == "loss is ×10")
        #expect(verdicts[2].description.contains("holds whatever the earlier cells computed"))
    }

    /// A check that fails in the ordinary run, or a cell that breaks, is reported as such, not as falsifiable.
    @Test func brokenLessonsAreReported() throws {
        let failing = try Lesson(text: "```gs\nx = 1\n```\n```check\nexpect(x == 2, \"wrong\")\n```", number: 1, slug: "failing")
        let failingVerdicts = CheckFalsifier.audit(failing)
        #expect(failingVerdicts.count == 1 && failingVerdicts[0].error?.contains("ordinary run") == true)
        let broken = try Lesson(text: "```gs\nx = undefined_name\n```\n```check\nexpect(x == 2)\n```", number: 1, slug: "broken")
        let brokenVerdicts = CheckFalsifier.audit(broken)
        #expect(brokenVerdicts.count == 1 && brokenVerdicts[0].error?.contains("cell 1 failed") == true)
    }
}
