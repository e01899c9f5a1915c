import Foundation
import Lang
import Plots
import TestSupport
import Testing

/// Plots and image grids go out as inline pictures when the session's terminal draws them,
/// as text otherwise, and to a file with `to:` either way; and the data builtins the lessons
/// use (course_images, course_file, contains, folds) behave at their edges.
@Suite struct PictureOutputTests {
    func printed(_ source: String, images: InlineImageProtocol) throws -> [String] {
        let i = Interpreter()
        var lines: [String] = []
        i.output = { lines.append($0) }
        i.inlineImages = images
        try i.run(source)
        return lines
    }

    @Test func picturesFollowTheSetting() throws {
        for source in ["plot([3, 2, 1])", "hist([1, 2, 2, 3])", "show_images(randn(2, 3, 4, 4))", "show_filters(small_convnet(), n: 4)"] {
            let kitty = try printed(source, images: .kitty)
            #expect(kitty.count == 1 && kitty[0].hasPrefix("\u{1B}_Gf=100,a=T"), "\(source)")
            #expect(try printed(source, images: .iterm).first?.hasPrefix("\u{1B}]1337;File=inline=1") == true, "\(source)")
            #expect(try printed(source, images: .sixel).first?.hasPrefix("\u{1B}Pq") == true, "\(source)")
            let text = try printed(source, images: .off).joined(separator: "\n")
            #expect(!text.contains("\u{1B}_G") && !text.contains("\u{1B}P") && !text.isEmpty, "\(source)")
        }
        let folder = try ScratchFolder("picture-output")
        let path = folder.file("p.png")
        #expect(try printed("plot([1, 2], to: \"\(path)\")", images: .kitty) == ["wrote \(path)"])
    }

    @Test func lessonDataBuiltinsAtTheirEdges() throws {
        let folder = try ScratchFolder("course-files")
        try Data("{}".utf8).write(to: folder.url.appendingPathComponent("a.json"))
        let i = Interpreter()
        i.output = { _ in }
        i.courseFiles = folder.url
        i.dataDirectory = folder.url
        #expect(try i.run("course_file(\"a.json\")").map { format($0) } == folder.file("a.json"))
        for bad in [
            "course_file(\"missing.json\")", "course_file(\"../a.json\")", "course_file(\"\")", "augment(ones(1, 3, 2, 2), jitter: 2)",
            "fit(two_layer_net(2, 3, 3), spiral(3), spiral(3), jitter: 1e300)", "folds(spiral(2), k: 1)", "folds(spiral(1), k: 4)", "contains(3, 1)", "contains(\"abc\", 1)"
        ] {
            #expect(throws: LangError.self, "\(bad)") { try i.run(bad) }
        }
        let none = Interpreter()
        none.output = { _ in }
        #expect(throws: LangError.self) { try none.run("course_file(\"a.json\")") }
        #expect(try i.run("[contains([1, \"a\", true], \"a\"), contains([1, 2], 3), contains([0 / 0], 0 / 0), contains(\"loss too noisy\", \"noisy\")]").map { format($0) } == "[true, false, false, true]")
        var said: [String] = []
        i.output = { said.append($0) }
        #expect(try i.run("course_images(5).count").map { format($0) } == "5")
        #expect(said.first?.contains("the embedded images") == true)
    }
}
