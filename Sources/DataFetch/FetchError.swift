import Foundation

/// Why a fetch stopped, each with what to do next.
public enum FetchError: Error, CustomStringConvertible, Equatable {
    /// No mirror could be reached: how to place the files by hand.
    case offline(files: [RemoteFile], folder: URL, reason: String)
    /// The transfer stopped early; the partial file is kept for the next run to resume.
    case interrupted(file: String, received: Int64, expected: Int64)
    /// The file arrived whole but is not the published one; it was removed.
    case checksumMismatch(file: String, expected: String, actual: String)
    /// The server sent a whole file of another size than the published one; it was removed.
    case wrongSize(file: String, expected: Int64, actual: Int64)
    /// The server answered with an error status.
    case http(file: String, url: URL, status: Int)
    /// The archive would not unpack, or did not hold the expected files.
    case unpacking(file: String, detail: String)

    public var description: String {
        switch self {
        case .offline(let files, let folder, let reason):
            let list = files.map { f in
                "  \(f.name) (\(formatBytes(f.size)), MD5 \(f.md5)) from " + f.mirrors.map(\.absoluteString).joined(separator: " or ")
            }
            return """
                cannot reach the network (\(reason)).
                To install by hand, download
                \(list.joined(separator: "\n"))
                and put \(files.count == 1 ? "it" : "them") in \(folder.path); then run the same command again: it checks \(files.count == 1 ? "the file" : "each file") and unpacks.
                """
        case .interrupted(let file, let received, let expected):
            return "the download of \(file) stopped at \(formatBytes(received)) of \(formatBytes(expected)); the part is kept, run the same command again to resume"
        case .checksumMismatch(let file, let expected, let actual):
            return "\(file) is not the published file: its MD5 is \(actual), expected \(expected). It was removed; run the same command again to download it afresh"
        case .wrongSize(let file, let expected, let actual):
            return "the server sent \(file) complete at \(formatBytes(actual)), but the published file is \(formatBytes(expected)): it is not the same file (a wrong mirror?). It was removed"
        case .http(let file, let url, let status):
            return "the server refused \(file) (\(url.absoluteString) answered HTTP \(status))"
        case .unpacking(let file, let detail):
            return "cannot unpack \(file): \(detail)"
        }
    }
}

/// 1,234,567 bytes as "1.2 MB" (decimal units, as download sizes are quoted).
public func formatBytes(_ n: Int64) -> String {
    let v = Double(n)
    if v >= 1e9 { return String(format: "%.2f GB", v / 1e9) }
    if v >= 1e6 { return String(format: "%.1f MB", v / 1e6) }
    if v >= 1e3 { return String(format: "%.1f kB", v / 1e3) }
    return "\(n) B"
}
