import ArgumentParser

@main
struct GradSchool: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gradschool",
        abstract: "Learn what it takes to train ConvNets: a REPL, lessons and graded homework.",
        subcommands: [Bench.self])
}
