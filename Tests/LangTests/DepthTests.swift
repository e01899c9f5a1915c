import Lang
import Terminal
import Testing

/// Deep and long inputs end in a value or a located error; none exhausts the stack.
@Suite struct DepthTests {
    static let chains: [(String, String)] = [
        ("+", "x = 1" + String(repeating: " + 1", count: 20_000)),
        ("not", "x = " + String(repeating: "not ", count: 20_000) + "true"),
        ("^", "x = " + String(repeating: "2^", count: 20_000) + "1"),
        ("indexing", "x = [1]" + String(repeating: "[0]", count: 20_000)),
        ("calls", "fn f() { f }\nx = f" + String(repeating: "()", count: 20_000)),
        ("brackets", "x = " + String(repeating: "(", count: 20_000) + "1" + String(repeating: ")", count: 20_000)),
        ("else if", "x = 1\nif x == 0 { 1 }" + String(repeating: " else if x == 0 { 1 }", count: 20_000) + " else { 2 }")
    ]

    @Test("a 20,000-long chain is refused with a clear error", arguments: chains.map(\.0))
    func longChainsAreRefused(kind: String) {
        let source = Self.chains.first { $0.0 == kind }!.1
        #expect(errorText(source)?.contains("nested too deeply") == true)
    }

    @Test("chains well inside the limit still evaluate")
    func modestChainsEvaluate() throws {
        #expect(try evaluate("1" + String(repeating: " + 1", count: 2_000)) == "2001")
        #expect(try evaluate(String(repeating: "not ", count: 1_000) + "true") == "true")
        #expect(try evaluate("x = 1\nif x == 0 { 1 }" + String(repeating: " else if x == 0 { 1 }", count: 500) + " else { 2 }") == "2")
    }

    @Test("endless recursion is an error naming the call")
    func endlessRecursion() {
        #expect(errorText("fn f(n) { return f(n + 1) }\nf(0)")?.contains("nested more than") == true)
    }

    @Test("a 100,000-deep list is built, printed, compared and freed")
    func deepListsAreSafe() {
        var printed = "", equal = "", afterwards = ""
        LargeStack.run {
            let i = session()
            do {
                _ = try i.run("x = []\ny = []\nfor k in 0..<100000 { x = [x]; y = [y] }")
                printed = try evaluate("x", in: i)
                equal = try evaluate("x == y", in: i)
                afterwards = try evaluate("x = 0; y = 0; 7", in: i)
            } catch { printed = "\(error)" }
        }
        #expect(printed.hasPrefix("[[[[") && printed.contains("[…]") && printed.count < 100)
        #expect(equal == "true")
        #expect(afterwards == "7")
    }

    @Test("the stack room check reports less room deeper down")
    func stackRoomSeesTheFloor() {
        let room = StackRoom.current()
        #expect(room.hasRoom())
        // A floor above the current frame means no room: the check can fail.
        #expect(!StackRoom(floor: .max).hasRoom())
    }
}
