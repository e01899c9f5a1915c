import REPL
import Testing

@Suite struct PlotCommandTests {
    @Test(
        "every combination of :plot's words parses",
        arguments: [
            ("h.loss", "h.loss", false, nil),
            ("h.loss log", "h.loss", true, nil),
            ("a, b", "a, b", false, nil),
            ("a, b log", "a, b", true, nil),
            ("a, b to \"f.png\"", "a, b", false, "\"f.png\""),
            ("a, b log to \"f.png\"", "a, b", true, "\"f.png\""),
            ("a, b to \"f.svg\" log", "a, b", true, "\"f.svg\""),
            ("log a, b", "a, b", true, nil),
            ("catalog", "catalog", false, nil),
            ("[1, 2] to \"my plot.png\"", "[1, 2]", false, "\"my plot.png\"")
        ] as [(String, String, Bool, String?)])
    func parses(input: String, expressions: String, log: Bool, file: String?) {
        let parsed = PlotCommand.parse(input)
        #expect(parsed.expressions == expressions)
        #expect(parsed.log == log)
        #expect(parsed.file == file)
    }
}
