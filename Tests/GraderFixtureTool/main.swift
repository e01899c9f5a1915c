import Foundation
import GraderFixtures
import Grading

// `gradschool grade` and `grade-worker`, grading the fixture submissions instead of the
// homework: the same driver, worker and reports, run as separate processes.
//   grader-fixture grade --submission faulty --seed N --time-limit S --memory-limit-mb M --format json --output F
//   grader-fixture grade-worker --exercise ID --submission S --seed N --time-limit S --memory-limit-mb M

var options: [String: String] = [:]
let args = Array(CommandLine.arguments.dropFirst())
var i = 1
while i + 1 < args.count { options[String(args[i].dropFirst(2))] = args[i + 1]; i += 2 }
let submission = FixtureSubmission(rawValue: options["submission"] ?? "") ?? .solutions
let seed = options["seed"].flatMap(UInt64.init) ?? 1
let limits = GradingLimits(
    seconds: options["time-limit"].flatMap(Double.init) ?? GradingLimits.defaultSeconds,
    memoryBytes: (options["memory-limit-mb"].flatMap(UInt64.init) ?? 4096) << 20)

switch args.first {
case "grade-worker":
    GradingRun.runWorker(exerciseID: options["exercise"] ?? "", table: submission.table, seed: seed, limits: limits)
case "grade":
    let run = GradingRun(
        submission: submission.rawValue, seed: seed, limits: limits, forcedTimeLimit: false,
        exerciseIDs: options["only"].map { $0.split(separator: ",").map(String.init) },
        sourceMarker: FixtureSubmission.sourceMarker)
    let results = run.gradeIsolated()
    let text = options["format"] == "gradescope" ? try Report.gradescope(results, seed: seed) : try Report.json(results, seed: seed)
    try GradingRun.deliver(text, to: options["output"])
default:
    FileHandle.standardError.write(Data("usage: grader-fixture grade|grade-worker --submission solutions|faulty …\n".utf8))
    exit(2)
}
