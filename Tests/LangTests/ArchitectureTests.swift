import Foundation
import Testing

/// docs/ARCHITECTURE.md's target table against the code: every target under Sources/ has a
/// row, and each row's "Imports" column is exactly the package targets its files import.
@Suite struct ArchitectureTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized

    /// `| \`Lang\` | Autograd, NeuralNet, … | … |` rows, by target.
    static func documentedImports() throws -> [String: Set<String>] {
        let text = try String(contentsOf: root.appendingPathComponent("docs/ARCHITECTURE.md"), encoding: .utf8)
        var rows: [String: Set<String>] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("| `") {
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count > 3, cells[1].hasPrefix("`"), !cells[1].contains(" ") else { continue }
            let name = cells[1].trimmingCharacters(in: CharacterSet(charactersIn: "`"))
            rows[name] = Set(cells[2].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        }
        return rows
    }

    /// The package targets a folder's Swift files import.
    static func actualImports(_ folder: URL, targets: Set<String>) -> Set<String> {
        var found: Set<String> = []
        let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
        for file in files where file.pathExtension == "swift" {
            let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
            for line in text.split(separator: "\n") where line.hasPrefix("import ") {
                let module = String(line.dropFirst("import ".count)).trimmingCharacters(in: .whitespaces)
                if targets.contains(module) { found.insert(module) }
            }
        }
        return found
    }

    @Test func theDocumentedGraphIsTheImportGraph() throws {
        let sources = Self.root.appendingPathComponent("Sources")
        let targets = Set(try FileManager.default.contentsOfDirectory(atPath: sources.path).filter { !$0.hasPrefix(".") })
        let documented = try Self.documentedImports()
        #expect(Set(documented.keys) == targets, "targets without a row, or rows without a target")
        for target in targets.sorted() {
            let actual = Self.actualImports(sources.appendingPathComponent(target), targets: targets)
            #expect(documented[target] == actual, "\(target): the table says \(documented[target]?.sorted() ?? []), the files import \(actual.sorted())")
        }
    }
}
