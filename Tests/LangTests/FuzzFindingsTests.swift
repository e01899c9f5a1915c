import Lang
import Testing

/// Entries `gradschool fuzz` found killing the process, kept as regressions: each must now
/// end in a value or a located error.
@Suite struct FuzzFindingsTests {
    static let findings: [(String, String?)] = [
        ("arange(1e300, end: 65536)", nil),                     // a count of -1e300 converted to Int
        ("arange(-1e300, end: 1e300)", "too many"),
        ("x = ones(2); x.grad = ones(3)", "must have x's shape"),
        ("[[1, 2], [3, 4]].shape", nil),
    ]

    @Test("each finding ends in a value or a clear error", arguments: findings.map(\.0))
    func findingIsHandled(source: String) {
        let expected = Self.findings.first { $0.0 == source }!.1
        let error = errorText(source)
        if let expected {
            #expect(error?.contains(expected) == true, "\(source): \(error ?? "no error")")
        } else {
            #expect(error == nil, "\(source): \(error ?? "")")
        }
    }

    @Test("the values the findings give")
    func values() throws {
        #expect(try evaluate("len(arange(1e300, end: 65536))") == "0")
        #expect(try evaluate("[[1, 2], [3, 4]].shape") == "[2, 2]")
        #expect(try evaluate("preprocess(\"mean_image\", spiral(5)).kind") == "mean_image")
        #expect(errorText("split(spiral(5), 10, 10)")?.contains("train 10 + val 10 = 20 examples requested but spiral has only 15") == true)
        #expect(errorText("x = tensor([1.0, 2.0]); y = sum(x * x); backward(y); backward(y)")?.contains("already used by a backward pass") == true)
    }
}
