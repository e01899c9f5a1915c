import Foundation
import Lang
import Testing

@Suite struct RegistryTests {
    let registry = Builtins.standard

    @Test(arguments: Builtins.standard.order)
    func everyExampleRuns(name: String) throws {
        let b = registry[name]!
        #expect(!b.doc.isEmpty && b.signature.hasPrefix(name))
        do { _ = try session().run(b.example) } catch let e as LangError {
            Issue.record("example of \(name) failed: \(e.rendered(source: b.example))")
        }
    }

    @Test func helpAndReferenceComeFromTheRegistry() {
        #expect(registry.help("conv2d")!.contains("example:"))
        #expect(registry.referenceMarkdown.contains("### `softmax_loss(scores, labels)`"))
    }

    @Test func committedReferenceIsCurrent() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../docs/reference.md").standardized
        let committed = try String(contentsOf: url, encoding: .utf8)
        #expect(committed == registry.referenceMarkdown, "docs/reference.md is stale: run `swift run gradschool reference > docs/reference.md`")
    }
}
