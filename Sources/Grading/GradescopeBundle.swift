import Foundation
import GradescopeFormat

/// The contents of a Gradescope autograder bundle, before zipping:
///
///     setup.sh          once per image, as root: the Swift toolchain, then a build of the package
///     run_autograder    per submission: runs `gradescope-autograder` (copy, build, grade, results.json)
///     gradebook.json    exercise names and points (for reports made without grading)
///     stubs/            the homework stubs, restored before each submission
///     package/          the course package with the instructor-only checks, no solutions
public enum GradescopeBundle {
    /// Writes the bundle's files into the empty folder `directory`; returns the paths written.
    @discardableResult
    public static func stage(
        from root: String, into directory: String,
        swiftVersion: String = ReleaseTree.defaultSwiftVersion
    ) throws -> [String] {
        let fm = FileManager.default
        var written = try ReleaseTree.write(from: root, to: directory + "/package", edition: .autograder).map { "package/" + $0 }
        try fm.copyItem(atPath: directory + "/package/Sources/Homework", toPath: directory + "/stubs")
        written += try fm.contentsOfDirectory(atPath: directory + "/stubs").sorted().map { "stubs/" + $0 }
        try Gradebook.outline.encodedForBundle().write(to: URL(fileURLWithPath: directory + "/gradebook.json"))
        try setupScript(swiftVersion: swiftVersion).write(toFile: directory + "/setup.sh", atomically: true, encoding: .utf8)
        try runScript.write(toFile: directory + "/run_autograder", atomically: true, encoding: .utf8)
        for script in ["setup.sh", "run_autograder"] {
            try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory + "/" + script)
        }
        return (written + ["gradebook.json", "setup.sh", "run_autograder"]).sorted()
    }

    /// Installs the Swift toolchain (unless this release is already on the PATH) from
    /// swift.org, checking its signature, with the packages swift.org lists for Ubuntu 22.04
    /// and 24.04; then resolves the package's dependencies and builds the grader, so each
    /// submission rebuilds only the homework and what depends on it.
    public static func setupScript(swiftVersion: String) -> String {
        """
        #!/usr/bin/env bash
        # Gradescope runs this once, as root, when it builds the autograder's image.
        set -euo pipefail
        SWIFT_VERSION="${SWIFT_VERSION:-\(swiftVersion)}"
        HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

        if swift --version 2>/dev/null | grep -q "Swift version $SWIFT_VERSION "; then
          echo "Swift $SWIFT_VERSION is installed"
        else
          . /etc/os-release
          case "$VERSION_ID" in
            22.04) GCC=11 ;;
            24.04) GCC=13 ;;
            *) echo "setup.sh: Ubuntu 22.04 or 24.04 expected, found ${PRETTY_NAME:-unknown}" >&2; exit 1 ;;
          esac
          case "$(dpkg --print-architecture)" in
            amd64) ARCH_SUFFIX="" ;;
            arm64) ARCH_SUFFIX="-aarch64" ;;
            *) echo "setup.sh: unsupported architecture $(dpkg --print-architecture)" >&2; exit 1 ;;
          esac
          export DEBIAN_FRONTEND=noninteractive
          apt-get -q update
          apt-get -q install -y binutils ca-certificates curl git gnupg2 unzip libc6-dev libcurl4-openssl-dev \\
            libedit2 libedit-dev "libgcc-$GCC-dev" libpython3-dev libsqlite3-0 "libstdc++-$GCC-dev" libxml2-dev \\
            libncurses-dev libz3-dev pkg-config tzdata zlib1g-dev
          PLATFORM="ubuntu$VERSION_ID"
          URL="https://download.swift.org/swift-$SWIFT_VERSION-release/$(echo "$PLATFORM" | tr -d .)$ARCH_SUFFIX/swift-$SWIFT_VERSION-RELEASE/swift-$SWIFT_VERSION-RELEASE-$PLATFORM$ARCH_SUFFIX.tar.gz"
          WORK="$(mktemp -d)"
          curl -fsSL "$URL" -o "$WORK/swift.tar.gz"
          curl -fsSL "$URL.sig" -o "$WORK/swift.tar.gz.sig"
          export GNUPGHOME="$WORK/gnupg"
          mkdir -m 700 "$GNUPGHOME"
          curl -fsSL https://www.swift.org/keys/all-keys.asc | gpg --batch --quiet --import -
          gpg --batch --verify "$WORK/swift.tar.gz.sig" "$WORK/swift.tar.gz"
          tar -xzf "$WORK/swift.tar.gz" --directory / --strip-components=1
          chmod -R o+r /usr/lib/swift
          rm -rf "$WORK"
          swift --version
        fi

        chmod +x "$HERE/run_autograder"
        cd "$HERE/package"
        swift build --product gradescope-autograder
        swift build --product gradschool
        echo "The autograder is ready."

        """
    }

    /// Runs one submission. `AUTOGRADER_ROOT` (default `/autograder`) lets it run anywhere;
    /// results.json is written even if setup never built the grader.
    public static let runScript = """
        #!/usr/bin/env bash
        # Gradescope runs this for each submission; AUTOGRADER_ROOT (default /autograder) moves the whole layout.
        ROOT="${AUTOGRADER_ROOT:-/autograder}"
        RUNNER="$ROOT/source/package/.build/debug/gradescope-autograder"
        mkdir -p "$ROOT/results"
        if [ -x "$RUNNER" ]; then
          exec "$RUNNER" --root "$ROOT"
        fi
        printf '%s\\n' '{"score": 0, "output": "The autograder is not set up: setup.sh did not build it. Please tell your instructor.", "tests": []}' > "$ROOT/results/results.json"

        """
}

extension GradebookOutline {
    func encodedForBundle() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }
}
