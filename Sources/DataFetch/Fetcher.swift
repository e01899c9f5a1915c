import Foundation
import Training

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Puts a dataset in the cache folder: downloads each of its files (resuming a partial
/// download), verifies the published size and MD5, and unpacks it.
///
/// A file already in the folder, downloaded earlier or placed there by hand, is verified
/// and used without the network. Nothing is unpacked until every file has verified.
public struct Fetcher: Sendable {
    /// What the fetcher is doing, for a progress bar or a log.
    public enum Event: Sendable {
        case alreadyThere(folder: URL)
        case verifying(file: String)
        case downloading(file: String, url: URL, received: Int64, total: Int64)
        case resuming(file: String, from: Int64, total: Int64)
        case mirrorFailed(file: String, url: URL, reason: String)
        case unpacking(file: String)
        case ready(folder: URL)
    }

    public let directory: URL
    public var idleTimeout: TimeInterval = 30
    public var onEvent: @Sendable (Event) -> Void

    public init(directory: URL = DataCache.directory(), onEvent: @escaping @Sendable (Event) -> Void = { _ in }) {
        self.directory = directory
        self.onEvent = onEvent
    }

    /// Makes `source` ready under `directory` and returns its folder. `force` downloads and
    /// unpacks again even when the dataset is already there.
    @discardableResult
    public func fetch(_ source: DatasetSource, force: Bool = false) throws -> URL {
        let folder = directory.appendingPathComponent(source.folder, isDirectory: true)
        if !force && source.isReady(directory) {
            onEvent(.alreadyThere(folder: folder))
            return folder
        }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var archives: [URL] = []
        for (k, file) in source.files.enumerated() {
            do { archives.append(try obtain(file, force: force)) } catch FetchError.offline(_, let folder, let reason) {
                // Name every file still missing, not only the first.
                let missing = source.files[k...].filter { !FileManager.default.fileExists(atPath: directory.appendingPathComponent($0.name).path) }
                throw FetchError.offline(files: missing, folder: folder, reason: reason)
            }
        }
        onEvent(.unpacking(file: source.files.map(\.name).joined(separator: ", ")))
        try Unpacker.unpack(source, archives: archives, into: directory)
        guard source.isReady(directory) else {
            throw FetchError.unpacking(file: source.files.map(\.name).joined(separator: ", "), detail: "the archive did not hold the expected files")
        }
        onEvent(.ready(folder: folder))
        return folder
    }

    /// The verified file in the folder: the one already there if it checks out, else a
    /// download (resumed from `NAME.part` when one is there).
    func obtain(_ file: RemoteFile, force: Bool) throws -> URL {
        let fm = FileManager.default
        let final = directory.appendingPathComponent(file.name)
        if fm.fileExists(atPath: final.path) && !force {
            onEvent(.verifying(file: file.name))
            if try md5Hex(of: final) == file.md5 { return final }
            try fm.removeItem(at: final)
        }
        let part = directory.appendingPathComponent(file.name + ".part")
        if force { try? fm.removeItem(at: part) }
        try download(file, to: part)
        onEvent(.verifying(file: file.name))
        let actual = try md5Hex(of: part)
        guard actual == file.md5 else {
            try? fm.removeItem(at: part)
            throw FetchError.checksumMismatch(file: file.name, expected: file.md5, actual: actual)
        }
        try? fm.removeItem(at: final)
        try fm.moveItem(at: part, to: final)
        return final
    }

    /// Fills `part` up to the file's size from the first mirror that answers.
    func download(_ file: RemoteFile, to part: URL) throws {
        var unreachable: [String] = []
        var lastStatus: (URL, Int)?
        for url in file.mirrors {
            let existing = ((try? FileManager.default.attributesOfItem(atPath: part.path))?[.size] as? NSNumber)?.int64Value ?? 0
            if existing > file.size { try? FileManager.default.removeItem(at: part) } else if existing > 0 { onEvent(.resuming(file: file.name, from: existing, total: file.size)) }
            let (outcome, onDisk, announced) = try Transfer.run(url, into: part, idleTimeout: idleTimeout) { [onEvent] received in
                onEvent(.downloading(file: file.name, url: url, received: received, total: file.size))
            }
            switch outcome {
            case .finished, .alreadyComplete:
                if onDisk == file.size { return }
                if case .finished = outcome, announced == onDisk || onDisk > file.size {
                    // The server sent all it has, and it is not the published file.
                    try? FileManager.default.removeItem(at: part)
                    throw FetchError.wrongSize(file: file.name, expected: file.size, actual: onDisk)
                }
                throw FetchError.interrupted(file: file.name, received: onDisk, expected: file.size)
            case .httpStatus(let status):
                lastStatus = (url, status)
                onEvent(.mirrorFailed(file: file.name, url: url, reason: "HTTP \(status)"))
            case .failed(let error, let received):
                if received > 0 || (onDisk > 0 && !Self.isUnreachable(error)) {
                    throw FetchError.interrupted(file: file.name, received: onDisk, expected: file.size)
                }
                unreachable.append(Self.describe(error))
                onEvent(.mirrorFailed(file: file.name, url: url, reason: Self.describe(error)))
            }
        }
        // Nothing arrived from any mirror: leave no empty part behind.
        if ((try? FileManager.default.attributesOfItem(atPath: part.path))?[.size] as? NSNumber)?.int64Value == 0 {
            try? FileManager.default.removeItem(at: part)
        }
        if let (url, status) = lastStatus, unreachable.isEmpty { throw FetchError.http(file: file.name, url: url, status: status) }
        throw FetchError.offline(
            files: [file], folder: directory,
            reason: unreachable.first ?? lastStatus.map { "HTTP \($0.1)" } ?? "no mirror answered")
    }

    static func isUnreachable(_ error: URLError) -> Bool {
        [.cannotFindHost, .cannotConnectToHost, .notConnectedToInternet, .dnsLookupFailed, .timedOut, .secureConnectionFailed, .internationalRoamingOff]
            .contains(error.code)
    }

    static func describe(_ error: URLError) -> String {
        switch error.code {
        case .cannotFindHost, .dnsLookupFailed: "the host name does not resolve"
        case .cannotConnectToHost: "the connection was refused"
        case .notConnectedToInternet: "not connected to the internet"
        case .timedOut: "the server did not answer in time"
        default: error.localizedDescription
        }
    }
}
