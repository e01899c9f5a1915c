import Crypto
import Foundation

/// The MD5 of a file's bytes as lowercase hex, read in 1 MiB pieces. MD5 is what the
/// datasets' authors publish; it guards against corrupt or truncated downloads, not forgery.
public func md5Hex(of file: URL) throws -> String {
    let handle = try FileHandle(forReadingFrom: file)
    defer { try? handle.close() }
    var hasher = Insecure.MD5()
    while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
        hasher.update(data: chunk)
    }
    return hasher.finalize().map { String(format: "%02x", $0) }.joined()
}
