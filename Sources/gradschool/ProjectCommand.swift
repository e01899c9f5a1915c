import ArgumentParser
import Foundation
import Grading
import HomeworkKit
import Training

/// `gradschool project train|evaluate`: the final project's training run within the budget,
/// and its accuracy on images it never saw.
struct ProjectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "project",
        abstract: "Train the final project's model within the budget (saving project/model.npz), or evaluate the saved one.",
        subcommands: [Train.self, Evaluate.self])

    struct Choice: ParsableArguments {
        @Option(help: "Whose project: homework (yours) or, in the instructor's repository, solutions.")
        var submission: Grade.Submission = .homework

        @Option(help: "The checkpoint to write or read (default: project/model.npz, or solutions/project/model.npz for the solutions; project/cifar10-model.npz with --data cifar10).")
        var checkpoint: String?

        @Option(help: "generated (the course's images, which the grader uses) or cifar10 (real CIFAR-10 from `gradschool fetch cifar10`; not graded).")
        var data: ProjectData = .generated

        var images: ProjectRun.Images { data == .cifar10 ? .cifar10(dataFolder: DataCache.directory()) : .generated }

        var table: ExerciseTable {
            get throws {
                guard var t = Submissions.table(submission.rawValue) else { throw ValidationError("no submission named \(submission.rawValue)") }
                if let checkpoint {
                    t.projectCheckpoint = checkpoint
                } else if data == .cifar10 {
                    t.projectCheckpoint = (t.projectCheckpoint as NSString).deletingLastPathComponent + "/cifar10-model.npz"
                }
                return t
            }
        }

        /// Which images, said before training or evaluating.
        var sourceNote: String {
            switch data {
            case .cifar10: return "Using CIFAR-10 from \(DataCache.directory().path). This run is not graded: the grader tests on generated images."
            case .generated:
                let found = DataCache.cifar10() != nil
                return "Using the course's generated images (noise \(ProjectRules.imageNoise)), as the grader does."
                    + (found ? " CIFAR-10 is in \(DataCache.directory().path): --data cifar10 trains on it (not graded)." : "")
            }
        }
    }

    enum ProjectData: String, ExpressibleByArgument, CaseIterable { case generated, cifar10 }

    struct Train: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Train projectModel() with projectTraining()'s settings, stop at the budget, save the best epoch's weights.")

        @OptionGroup var choice: Choice

        @Option(help: "Seconds of training before it stops (the course's budget is \(Int(ProjectRules.budgetSeconds)) s on 2 cores).")
        var budget: Double = ProjectRules.budgetSeconds

        func validate() throws {
            guard budget > 0, budget <= ProjectRules.budgetSeconds else {
                throw ValidationError("--budget must be a number of seconds above 0 and at most \(Int(ProjectRules.budgetSeconds)), got \(budget)")
            }
        }

        func run() throws {
            let t = try choice.table
            print(choice.sourceNote)
            print("Training your project model for at most \(Int(budget)) s; the best epoch's weights go to \(t.projectCheckpoint).")
            let outcome: ProjectRun.Outcome
            do {
                outcome = try ProjectRun.train(t, budget: budget, checkpoint: t.projectCheckpoint, on: choice.images) { print($0) }
            } catch let failure as GradingFailure {
                FileHandle.standardError.write(Data("gradschool project: \(failure.message)\n".utf8))
                throw ExitCode(1)
            }
            print(
                String(
                    format: "%@ after %.0f s and %d epochs; best validation accuracy %.1f %%. Saved %@; commit it with your code.",
                    outcome.stoppedByBudget ? "Stopped at the budget" : "Finished", outcome.seconds, outcome.epochs,
                    100 * outcome.bestValidationAccuracy, t.projectCheckpoint,
                    choice.data == .cifar10 ? " (a CIFAR-10 run: not graded)." : "; commit it with your code."))
        }
    }

    struct Evaluate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Accuracy of the saved project model on freshly generated images.")

        @OptionGroup var choice: Choice

        @Option(help: "Test images to generate.")
        var images: Int = 2_000

        @Option(help: "Seed of the test images (the grader draws its own).")
        var seed: UInt64 = 12_345

        func validate() throws {
            guard (1...50_000).contains(images) else { throw ValidationError("--images must be from 1 to 50,000, got \(images)") }
        }

        func run() throws {
            let t = try choice.table
            print(choice.sourceNote)
            do {
                let accuracy = try ProjectRun.evaluate(t, count: images, seed: seed, on: choice.images)
                let what = choice.data == .cifar10 ? "CIFAR-10 test images" : "fresh images"
                print(String(format: "%.1f %% of %d %@ right (%@).", 100 * accuracy, choice.data == .cifar10 ? min(images, 10_000) : images, what, t.projectCheckpoint))
            } catch let failure as GradingFailure {
                FileHandle.standardError.write(Data("gradschool project: \(failure.message)\n".utf8))
                throw ExitCode(1)
            }
        }
    }
}
