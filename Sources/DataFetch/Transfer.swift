import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// One HTTP GET streamed into a file, resuming after the bytes the file already holds with a
/// `Range: bytes=N-` request. A server that ignores the range (200 instead of 206) gets the
/// file rewritten from the start; 416 (nothing left to send) means the file is already whole.
final class Transfer: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    enum Outcome {
        /// The server finished sending (the file may still be short if it closed early).
        case finished
        /// Nothing was left to send (416): the part on disk is already complete.
        case alreadyComplete
        case httpStatus(Int)
        case failed(URLError, receivedThisTime: Int64)
    }

    private let handle: FileHandle
    private(set) var bytesOnDisk: Int64
    private var receivedThisTime: Int64 = 0
    private var status = 0
    /// The whole file's size as the server announced it (Content-Range's total, or
    /// Content-Length on a 200), when it did.
    private(set) var announcedTotal: Int64?
    private var failure: Error?
    private let report: (Int64) -> Void
    private let done = DispatchSemaphore(value: 0)

    private init(handle: FileHandle, bytesOnDisk: Int64, report: @escaping (Int64) -> Void) {
        self.handle = handle
        self.bytesOnDisk = bytesOnDisk
        self.report = report
    }

    /// Appends `url`'s bytes to `part` (created if missing), calling `report` with the bytes
    /// on disk as they arrive; waits until the transfer ends. `idleTimeout` bounds a stall.
    static func run(_ url: URL, into part: URL, idleTimeout: TimeInterval, report: @escaping (Int64) -> Void) throws -> (
        outcome: Outcome, onDisk: Int64, announcedTotal: Int64?
    ) {
        let fm = FileManager.default
        if !fm.fileExists(atPath: part.path) { _ = fm.createFile(atPath: part.path, contents: nil) }
        let handle = try FileHandle(forWritingTo: part)
        defer { try? handle.close() }
        let start = try handle.seekToEnd()
        let transfer = Transfer(handle: handle, bytesOnDisk: Int64(start), report: report)
        var request = URLRequest(url: url)
        if start > 0 { request.setValue("bytes=\(start)-", forHTTPHeaderField: "Range") }
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = idleTimeout
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        let session = URLSession(configuration: configuration, delegate: transfer, delegateQueue: nil)
        session.dataTask(with: request).resume()
        transfer.done.wait()
        session.finishTasksAndInvalidate()
        return (transfer.outcome, transfer.bytesOnDisk, transfer.announcedTotal)
    }

    private var outcome: Outcome {
        if status == 416 { return .alreadyComplete }
        if status != 0 && status != 200 && status != 206 { return .httpStatus(status) }
        if let failure {
            let urlError = failure as? URLError ?? URLError(.unknown)
            return .failed(urlError, receivedThisTime: receivedThisTime)
        }
        return .finished
    }

    func urlSession(
        _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
        completionHandler: @escaping (URLSession.ResponseDisposition) -> Void
    ) {
        let http = response as? HTTPURLResponse
        status = http?.statusCode ?? 0
        if status == 206, let range = http?.value(forHTTPHeaderField: "Content-Range"), let total = range.split(separator: "/").last.flatMap({ Int64($0) }) {
            announcedTotal = total
        } else if status == 200, response.expectedContentLength >= 0 {
            announcedTotal = response.expectedContentLength
        }
        if status == 200 && bytesOnDisk > 0 {
            // The server sends the whole file: start the part again.
            do {
                try handle.truncate(atOffset: 0)
                bytesOnDisk = 0
            } catch { failure = error }
        }
        completionHandler(status == 200 || status == 206 ? .allow : .cancel)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        do {
            try handle.write(contentsOf: data)
            bytesOnDisk += Int64(data.count)
            receivedThisTime += Int64(data.count)
            report(bytesOnDisk)
        } catch {
            failure = error
            dataTask.cancel()
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        if failure == nil, let error, status == 0 || status == 200 || status == 206 { failure = error }
        done.signal()
    }
}
