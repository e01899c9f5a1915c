import Foundation
import REPL
import Terminal
import Testing

@Suite("Script files for `gradschool run`")
struct ScriptSourceTests {
    @Test("CRLF, CR and a byte-order mark read as plain newlines")
    func lineEnds() throws {
        let crlf = try ScriptSource.text(of: Data("x = 1\r\nfor i in 1...2 {\r\n  x = x + i\r\n}\r\nx\r\n".utf8), name: "s.gs")
        #expect(crlf == "x = 1\nfor i in 1...2 {\n  x = x + i\n}\nx\n")
        #expect(try ScriptSource.text(of: Data([0xEF, 0xBB, 0xBF] + Array("a\rb".utf8)), name: "s.gs") == "a\nb")
        var out: [String] = [], err: [String] = []
        let session = Session(reader: PlainLineReader { nil }, out: { out.append($0) }, err: { err.append($0) })
        #expect(session.run(source: crlf, sourceName: "s.gs"))
        #expect(out == ["4"] && err.isEmpty)
    }

    @Test("invalid UTF-8 names its line; missing, unreadable and folder paths each say what is wrong")
    func failures() throws {
        let bad = #expect(throws: ScriptSource.Failure.self) {
            try ScriptSource.text(of: Data(Array("x = 1\ny = 2\n".utf8) + [0x7A, 0xFF, 0x0A]), name: "s.gs")
        }
        #expect(bad?.description == "s.gs:3: the file is not UTF-8 text (save it as UTF-8)")
        let missing = #expect(throws: ScriptSource.Failure.self) { try ScriptSource.read("/nonexistent/script.gs") }
        #expect(missing?.description.contains("no such file") == true)
        let folder = #expect(throws: ScriptSource.Failure.self) { try ScriptSource.read(NSTemporaryDirectory()) }
        #expect(folder?.description.contains("is a folder") == true)
    }
}
