import Lang
import Testing

/// Every integer parameter goes through one checked conversion: edge numbers give an
/// error naming the parameter and what was given, never a trap.
@Suite struct WholeNumberTests {
    static let edges = ["-1", "2.5", "1e300", "0/0", "1/0", "-1/0", "2^63"]
    static let calls = [
        "seed(N)", "zeros(N)", "ones(2, N)", "eye(N)", "linspace(0, 1, N)", "sum(ones(3), axis: N)", "[1, 2][N]",
        "ones(4)[0:N]", "range(0, N)", "spiral(N)", "take(spiral(10), N)", "sample_batch(spiral(10), N)", "one_hot([0], N)",
        "conv2d(ones(1, 1, 3, 3), ones(1, 1, 3, 3), pad: N)", "max_pool2d(ones(1, 1, 4, 4), N)", "Linear(N, 2)",
        "hist(ones(3), bins: N)", "reshape(ones(4), N, 4)", "flatten(ones(2, 2), from: N)", "schedule(\"step\", lr: 0.1).values(N)"
    ]

    @Test("edge numbers in every integer parameter give a clear error", arguments: calls)
    func edgeNumbersAreErrors(call: String) {
        for edge in Self.edges {
            let source = call.replacingOccurrences(of: "N", with: "(\(edge))")
            guard let text = errorText(source) else {
                // Some edges are valid for some parameters (e.g. -1 as an index or axis).
                #expect(edge == "-1", "\(source) was accepted")
                continue
            }
            #expect(
                text.contains("must be") || text.contains("too large") || text.contains("out of range") || text.contains("too many"),
                "\(source): \(text)")
            #expect(!text.contains("Swift") && !text.contains("Fatal"), "\(source): \(text)")
        }
    }

    @Test("the conversion names the kind, the range and the number given")
    func messagesNameWhatWasGiven() {
        #expect(errorText("seed(-1)")?.contains("seed: n must be a whole number from 0 to 2⁵³ (a seed), got -1") == true)
        #expect(errorText("hist(ones(3), bins: 0)")?.contains("bins must be a whole number from 1 to 10000 (a positive count), got 0") == true)
        #expect(errorText("take(spiral(5), -1)")?.contains("n must be a whole number from 0 to 2²⁸ (a count), got -1") == true)
        #expect(errorText("[1, 2][0/0]")?.contains("got nan") == true)
        #expect(errorText("[1, 2][-100]")?.contains("index -100 is out of range for 2 items") == true)
    }

    @Test("valid whole numbers convert, and the kinds reject what they should")
    func kinds() throws {
        #expect(try WholeNumber.count.convert(3, name: "n").get() == 3)
        #expect(try WholeNumber.index.convert(-3, name: "i").get() == -3)
        #expect((try? WholeNumber.count.convert(-1, name: "n").get()) == nil)
        #expect((try? WholeNumber.positiveCount.convert(0, name: "n").get()) == nil)
        #expect((try? WholeNumber.seed.convert(.nan, name: "n").get()) == nil)
        #expect((try? WholeNumber.axis.convert(.infinity, name: "n").get()) == nil)
        #expect((try? WholeNumber.window.convert(0.5, name: "n").get()) == nil)
    }
}
