#if GRADSCHOOL_SOLUTIONS
    import ArgumentParser
    import Foundation
    import Grading
    import ZIPFoundation

    /// `gradschool gradescope-bundle --to FILE.zip`: the autograder zip to upload to Gradescope.
    struct GradescopeBundleCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "gradescope-bundle",
            abstract: "Write the Gradescope autograder zip (setup.sh, run_autograder and the package with the instructor-only checks).")

        @Option(help: "The zip to write (replaced if it exists).")
        var to: String

        @Option(help: "The instructor's package root.")
        var root: String = FileManager.default.currentDirectoryPath

        @Option(help: "The Swift release setup.sh installs.")
        var swiftVersion: String = ReleaseTree.defaultSwiftVersion

        func validate() throws {
            guard to.hasSuffix(".zip") else { throw ValidationError("--to names a .zip file") }
            guard ReleaseTree.isSwiftVersion(swiftVersion) else { throw ValidationError("--swift-version looks like 6.3.1") }
        }

        func run() throws {
            let fm = FileManager.default
            let staging = fm.temporaryDirectory.appendingPathComponent("gradescope-bundle-\(UUID().uuidString)")
            defer { try? fm.removeItem(at: staging) }
            let written = try GradescopeBundle.stage(from: root, into: staging.path, swiftVersion: swiftVersion)
            let zip = URL(fileURLWithPath: to)
            let partial = zip.deletingLastPathComponent().appendingPathComponent(".\(zip.lastPathComponent).partial")
            try? fm.removeItem(at: partial)
            try fm.zipItem(at: staging, to: partial, shouldKeepParent: false, compressionMethod: .deflate)
            if fm.fileExists(atPath: zip.path) { try fm.removeItem(at: zip) }
            try fm.moveItem(at: partial, to: zip)
            let size = (try fm.attributesOfItem(atPath: zip.path)[.size] as? Int) ?? 0
            print("wrote \(to): \(written.count) files, \(size / 1024) KiB. Upload it under Configure Autograder → Zip file upload on Gradescope.")
        }
    }
#endif
