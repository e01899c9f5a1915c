import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A small HTTP/1.1 file server on 127.0.0.1 for the fetch tests. It serves files by
/// name, honours `Range: bytes=N-` (206, or 416 past the end), and can misbehave on
/// purpose: cut its next response for a file short after some bytes, as a dropped
/// connection does. It records each request's path and range.
final class LoopbackServer: @unchecked Sendable {
    private(set) var port: UInt16 = 0
    private let listener: Int32
    private let lock = NSLock()
    private var files: [String: Data] = [:]
    private var cuts: [String: Int] = [:]
    private var log: [(path: String, range: String?)] = []

    var base: URL { URL(string: "http://127.0.0.1:\(port)/data/")! }
    var requests: [(path: String, range: String?)] { lock.withLock { log } }

    init() throws {
        listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw POSIXError(.EMFILE) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listener, 8) == 0 else { throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        port = UInt16(bigEndian: address.sin_port)
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    func serve(_ name: String, _ data: Data) { lock.withLock { files[name] = data } }

    /// The next response for `name` stops after `bytes` bytes of its body and closes.
    func cutNextResponse(for name: String, after bytes: Int) { lock.withLock { cuts[name] = bytes } }

    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func acceptLoop() {
        while true {
            let connection = accept(listener, nil, nil)
            if connection < 0 { return }
            handle(connection)
            close(connection)
        }
    }

    private func handle(_ connection: Int32) {
        var request = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !request.contains(Data("\r\n\r\n".utf8)) {
            let n = recv(connection, &buffer, buffer.count, 0)
            if n <= 0 { return }
            request.append(contentsOf: buffer[0..<n])
        }
        let lines = String(decoding: request, as: UTF8.self).components(separatedBy: "\r\n")
        let target = lines.first?.split(separator: " ").dropFirst().first.map(String.init) ?? "/"
        let name = String(target.split(separator: "/").last ?? "")
        let range = lines.first { $0.lowercased().hasPrefix("range:") }.map { String($0.dropFirst("range:".count)).trimmingCharacters(in: .whitespaces) }
        let (data, cut): (Data?, Int?) = lock.withLock {
            log.append((target, range))
            defer { cuts[name] = nil }
            return (files[name], cuts[name])
        }
        guard let data else { return reply(connection, "404 Not Found", [], Data("no such file".utf8)) }
        var start = 0
        if let range, range.hasPrefix("bytes="), let from = Int(range.dropFirst("bytes=".count).split(separator: "-").first ?? "") { start = from }
        if start >= data.count && start > 0 {
            return reply(connection, "416 Range Not Satisfiable", ["Content-Range: bytes */\(data.count)"], Data())
        }
        let body = data.subdata(in: start..<data.count)
        let status = start > 0 ? "206 Partial Content" : "200 OK"
        let headers = start > 0 ? ["Content-Range: bytes \(start)-\(data.count - 1)/\(data.count)"] : []
        reply(connection, status, headers, body, cutAfter: cut)
    }

    private func reply(_ connection: Int32, _ status: String, _ headers: [String], _ body: Data, cutAfter: Int? = nil) {
        let head =
            (["HTTP/1.1 \(status)", "Content-Length: \(body.count)", "Content-Type: application/octet-stream", "Connection: close"] + headers)
            .joined(separator: "\r\n") + "\r\n\r\n"
        write(connection, Data(head.utf8))
        write(connection, cutAfter.map { body.prefix($0) } ?? body)
    }

    private func write(_ connection: Int32, _ data: Data) {
        #if canImport(Glibc)
            let flags = Int32(MSG_NOSIGNAL)
        #else
            let flags: Int32 = 0
        #endif
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = send(connection, raw.baseAddress! + offset, raw.count - offset, flags)
                if n <= 0 { return }
                offset += n
            }
        }
    }
}
