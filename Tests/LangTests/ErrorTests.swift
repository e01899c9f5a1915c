import Lang
import Testing

@Suite struct ErrorTests {
    @Test func syntaxErrorsPointAtTheProblem() {
        let e = errorText("x = (1 + 2")!
        #expect(e.contains("syntax error"))
        #expect(errorText("1 +")!.contains("expression"))
        #expect(errorText("x = [1, 2")!.contains("missing"))
        #expect(errorText("3 = x")!.contains("cannot assign"))
        let bad = errorText("y = 2 $ 3")!
        #expect(bad.contains("unexpected character '$'"))
        #expect(bad.contains(" 1 | y = 2 $ 3\n   |       ^"))
    }

    @Test func shapeErrorsSayWhatWasExpected() {
        let e = errorText("x = randn(1, 3, 8, 8)\nw = randn(8, 4, 3, 3)\ny = conv2d(x, w)")!
        #expect(e.contains("conv2d: input has 3 channels but the weight expects 4 (weight shape [8, 4, 3, 3])"), "\(e)")
        #expect(e.contains(" 3 | y = conv2d(x, w)"))
        #expect(e.contains("^"))
        let m = errorText("ones(2, 3) @ ones(2, 3)")!
        #expect(m.contains("[2, 3] @ [2, 3]"))
        #expect(errorText("ones(2, 3) + ones(4)")!.contains("[2, 3]"))
    }

    @Test func namesAndTypes() {
        #expect(errorText("relu(foo)")!.contains("foo is not defined"))
        #expect(errorText("rellu(1)")!.contains("did you mean relu"))
        #expect(errorText("relu(1, bogus: 2)")!.contains("no parameter bogus"))
        #expect(errorText("fit(1, 2, 3)")!.contains("must be a model"))
        #expect(errorText("randn(2).nope")!.contains("has no member nope"))
        #expect(errorText("\"a\" - 1")!.contains("cannot apply -"))
        #expect(errorText("relu = 3")!.contains("builtin"))
        #expect(errorText("expect(1 > 2, \"one is not above two\")")!.contains("one is not above two"))
        #expect(errorText("break")!.contains("outside a loop"))
    }

    @Test func needsMoreInputWhileBracketsAreOpen() {
        #expect(Parser.needsMoreInput("for i in 1...3 {"))
        #expect(Parser.needsMoreInput("f(1,"))
        #expect(!Parser.needsMoreInput("f(1)"))
        #expect(!Parser.needsMoreInput("s = \"{\""))
        #expect(!Parser.needsMoreInput("x = 1 # {"))
    }
}
