import Foundation

/// A copy of the instructor's repository for others to build: the student's repository, or
/// the package inside a Gradescope bundle. The same `Package.swift` serves every edition; it
/// declares only what the copied tree holds.
public enum ReleaseTree {
    public enum Edition: Sendable {
        /// Stubs, lessons, docs, the homework grader's tests and a GitHub Classroom workflow;
        /// no solutions, no instructor-only checks, no instructor tests.
        case student
        /// What a grading machine builds: sources with the instructor-only checks, stubs in
        /// `Sources/Homework`, no tests, lessons or solutions.
        case autograder
    }

    /// The Swift release the Classroom workflow and Gradescope's setup install by default.
    public static let defaultSwiftVersion = "6.3.1"

    /// A release number like `6.3` or `6.3.1` (it is written into a YAML file and a shell script).
    public static func isSwiftVersion(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return (2...3).contains(parts.count) && parts.allSatisfy { !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }
    }

    /// Writes the `edition` of the repository at `root` into `destination` (a new or empty
    /// folder) and returns the paths written, relative to it, sorted.
    @discardableResult
    public static func write(
        from root: String, to destination: String, edition: Edition,
        swiftVersion: String = defaultSwiftVersion
    ) throws -> [String] {
        let fm = FileManager.default
        guard fm.fileExists(atPath: root + "/solutions") else { throw ReleaseError.notInstructorTree(root) }
        let source = URL(fileURLWithPath: root).standardizedFileURL.resolvingSymlinksInPath().path
        let target = URL(fileURLWithPath: destination).standardizedFileURL.resolvingSymlinksInPath().path
        if target == source || target.hasPrefix(source + "/") { throw ReleaseError.insideRepository(destination) }
        if let existing = try? fm.contentsOfDirectory(atPath: destination), !existing.isEmpty { throw ReleaseError.notEmpty(destination) }
        try fm.createDirectory(atPath: destination, withIntermediateDirectories: true)
        var written: [String] = []
        try copy(root, destination, relative: "", edition: edition, written: &written)
        for name in try Release.writeStubs(from: root + "/solutions", into: destination + "/Sources/Homework") {
            written.append("Sources/Homework/" + name)
        }
        if edition == .student {
            let readme = try String(contentsOfFile: root + "/README.md", encoding: .utf8)
            try studentReadme(from: readme).write(toFile: destination + "/README.md", atomically: true, encoding: .utf8)
            try fm.createDirectory(atPath: destination + "/.github/workflows", withIntermediateDirectories: true)
            try ClassroomWorkflow.yaml(swiftVersion: swiftVersion).write(toFile: destination + "/" + ClassroomWorkflow.path, atomically: true, encoding: .utf8)
            written += ["README.md", ClassroomWorkflow.path]
        }
        return written.sorted()
    }

    /// Whether the file or folder at `path` (relative to the repository root) belongs in `edition`.
    public static func includes(_ path: String, edition: Edition) -> Bool {
        let components = path.split(separator: "/").map(String.init)
        guard let first = components.first else { return true }
        if components.contains(where: { $0.hasPrefix(".build") || $0 == ".swiftpm" || $0 == ".DS_Store" || $0 == ".git" }) { return false }
        // Generated afresh, never copied: the stubs, the student's README.
        if path.hasPrefix("Sources/Homework/") || path == "README.md" { return false }
        switch edition {
        case .autograder:
            return ["Package.swift", "Sources", ".gitignore"].contains(first)
        case .student:
            guard ["Package.swift", "Sources", "Tests", "lessons", "docs", ".gitignore"].contains(first) else { return false }
            if path == "Sources/Grading/Hidden" || path.hasPrefix("Sources/Grading/Hidden/") { return false }
            if first == "Tests" && components.count > 1 {
                guard components[1] == "AutograderTests" || components[1] == "TestSupport" else { return false }
                if components.count > 2 && components[2] == "Instructor" { return false }
            }
            return true
        }
    }

    static func copy(_ root: String, _ destination: String, relative: String, edition: Edition, written: inout [String]) throws {
        let fm = FileManager.default
        let source = relative.isEmpty ? root : root + "/" + relative
        for name in try fm.contentsOfDirectory(atPath: source).sorted() {
            let path = relative.isEmpty ? name : relative + "/" + name
            guard includes(path, edition: edition) else { continue }
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: root + "/" + path, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                try fm.createDirectory(atPath: destination + "/" + path, withIntermediateDirectories: true)
                try copy(root, destination, relative: path, edition: edition, written: &written)
            } else {
                try fm.copyItem(atPath: root + "/" + path, toPath: destination + "/" + path)
                written.append(path)
            }
        }
    }

    /// Sections of the README a student's repository leaves out (the instructor's and the developers').
    static let instructorSections: Set<String> = ["For instructors", "Modules", "Performance", "Tests"]

    /// The README without the instructor's and developers' sections, with a note on the Classroom workflow.
    public static func studentReadme(from readme: String) -> String {
        var kept: [String] = [], skipping = false
        for line in readme.components(separatedBy: "\n") {
            if line.hasPrefix("## ") { skipping = instructorSections.contains(String(line.dropFirst(3)).trimmingCharacters(in: .whitespaces)) }
            if !skipping { kept.append(line) }
        }
        while kept.last?.isEmpty == true { kept.removeLast() }
        kept += [
            "", "## Grading on GitHub", "",
            "Every push runs `\(ClassroomWorkflow.path)`: it builds the package, grades your homework",
            "with `swift run gradschool grade --format classroom` (the same checks as `swift test`) and",
            "reports your points to GitHub Classroom. Open the run under the repository's *Actions* tab to",
            "see each exercise's points and messages.", ""
        ]
        return kept.joined(separator: "\n")
    }
}

/// The GitHub Classroom workflow of a student repository: build, grade with the project's
/// own grader (partial credit per exercise), and hand the result to Classroom's reporter.
public enum ClassroomWorkflow {
    public static let path = ".github/workflows/classroom.yml"
    /// The step id whose `result` output the reporter reads (as the `GRADSCHOOL_RESULTS` variable).
    public static let runnerID = "gradschool"

    public static func yaml(swiftVersion: String) -> String {
        """
        # Grades the homework on every push and reports the points to GitHub Classroom.
        # The grader step writes the runner result of Classroom's reporter (one test per
        # exercise, with partial credit); see the README's "Grading on GitHub".
        name: Autograding Tests
        'on':
          - push
          - repository_dispatch
          - workflow_dispatch
        permissions:
          checks: write
          actions: read
          contents: read
        jobs:
          run-autograding-tests:
            runs-on: ubuntu-latest
            if: github.actor != 'github-classroom[bot]'
            container: swift:\(swiftVersion)-noble
            timeout-minutes: 30
            steps:
              - name: Check out the code
                uses: actions/checkout@v4
              - name: Build
                run: swift build --product gradschool
              - name: Grade the homework
                id: \(runnerID)
                run: |
                  swift run gradschool grade --format classroom --output classroom-result.json
                  echo "result=$(base64 -w0 classroom-result.json)" >> "$GITHUB_OUTPUT"
              - name: Report the points to GitHub Classroom
                uses: classroom-resources/autograding-grading-reporter@v1
                env:
                  \(runnerID.uppercased())_RESULTS: "${{ steps.\(runnerID).outputs.result }}"
                with:
                  runners: \(runnerID)

        """
    }
}
