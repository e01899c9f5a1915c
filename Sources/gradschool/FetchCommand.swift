import ArgumentParser
import DataFetch
import Foundation
import Training

/// `gradschool fetch cifar10|mnist`: the real datasets in one command, into the data cache
/// folder the lessons and `load_cifar` / `load_mnist` look in.
struct FetchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Download a real dataset (cifar10 or mnist), verify its checksum and unpack it into the data folder.",
        discussion: """
            The data folder is $GRADSCHOOL_DATA, or gradschool/ in your cache folder (~/.cache on Linux, \
            ~/Library/Caches on macOS). An interrupted download resumes where it stopped. Without a network, \
            put the archive in the data folder yourself and run the same command: it is verified and unpacked.
            """)

    @Argument(help: "cifar10 or mnist; none lists what is there.")
    var dataset: String?

    @Option(help: "The data folder (default: $GRADSCHOOL_DATA or the cache folder).")
    var data: String?

    @Option(help: "Fetch the files from this base URL instead (a course mirror): URL/FILENAME.")
    var mirror: String?

    @Flag(help: "Download and unpack again even if the dataset is there.")
    var force = false

    func validate() throws {
        if let dataset, DatasetSources.named(dataset) == nil {
            throw ValidationError("no dataset named \(dataset); choose \(DatasetSources.all.map(\.name).joined(separator: " or "))")
        }
        if let mirror, URL(string: mirror)?.scheme == nil { throw ValidationError("--mirror must be a URL such as https://host/path/, got \(mirror)") }
    }

    func run() throws {
        let directory = data.map { URL(fileURLWithPath: $0, isDirectory: true) } ?? DataCache.directory()
        guard let dataset, var source = DatasetSources.named(dataset) else {
            print("Data folder: \(directory.path)")
            for s in DatasetSources.all {
                let size = formatBytes(s.files.reduce(0) { $0 + $1.size })
                print("  \(s.name.padding(toLength: 8, withPad: " ", startingAt: 0)) \(s.isReady(directory) ? "ready   " : "missing ") \(s.title), \(size)")
            }
            print("Fetch one with: gradschool fetch cifar10")
            return
        }
        if let mirror, let base = URL(string: mirror.hasSuffix("/") ? mirror : mirror + "/") { source = source.mirrored(at: base) }
        let bar = ProgressBar()
        let fetcher = Fetcher(directory: directory) { bar.show($0) }
        do {
            let folder = try fetcher.fetch(source, force: force)
            bar.finish()
            print("\(source.title) is ready in \(folder.path)")
        } catch let error as FetchError {
            bar.finish()
            FileHandle.standardError.write(Data("gradschool fetch: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}

/// One line of progress on standard error, redrawn in place on a terminal (at most ten
/// times a second); plain lines at each step when it is not a terminal.
final class ProgressBar: @unchecked Sendable {
    private let lock = NSLock()
    private let terminal = isatty(2) != 0
    private var lastDraw = Date.distantPast
    private var started = Date()
    private var startBytes: Int64 = 0
    private var drawn = false

    func show(_ event: Fetcher.Event) {
        lock.withLock {
            switch event {
            case .downloading(let file, _, let received, let total):
                if !drawn { started = Date(); startBytes = received }
                guard terminal, Date().timeIntervalSince(lastDraw) > 0.1 || received == total else { return }
                lastDraw = Date()
                drawn = true
                draw(file, received, total)
            case .alreadyThere(let folder): say("already there: \(folder.path) (--force fetches it again)")
            case .resuming(let file, let from, let total): say("resuming \(file) at \(formatBytes(from)) of \(formatBytes(total))")
            case .mirrorFailed(let file, let url, let reason): say("could not get \(file) from \(url.host ?? url.absoluteString): \(reason)")
            case .verifying(let file): say("verifying \(file) (MD5)")
            case .unpacking(let file): say("unpacking \(file)")
            case .ready: break
            }
        }
    }

    private func draw(_ file: String, _ received: Int64, _ total: Int64) {
        let fraction = total > 0 ? min(1, Double(received) / Double(total)) : 0
        let width = 24
        let filled = Int(fraction * Double(width))
        let seconds = max(Date().timeIntervalSince(started), 1e-3)
        let rate = Double(received - startBytes) / seconds
        let remaining = rate > 0 ? Double(total - received) / rate : 0
        let eta = rate > 0 ? String(format: " %d:%02d left", Int(remaining) / 60, Int(remaining) % 60) : ""
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        let percent = String(format: "%3.0f%%", 100 * fraction)
        let line = "\r\(file) \(percent) [\(bar)] \(formatBytes(received)) / \(formatBytes(total))  \(formatBytes(Int64(rate)))/s\(eta)\u{1B}[K"
        FileHandle.standardError.write(Data(line.utf8))
    }

    private func say(_ text: String) {
        if drawn { FileHandle.standardError.write(Data("\n".utf8)) }
        drawn = false
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    func finish() {
        lock.withLock {
            if drawn { FileHandle.standardError.write(Data("\n".utf8)) }
            drawn = false
        }
    }
}
