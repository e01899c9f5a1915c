import Crypto
import DataFetch
import Foundation
import Tensors
import TestSupport
import Testing
import Training

/// `gradschool fetch` against a loopback server that serves small archives in the real
/// formats: a good download, one cut short and resumed, a wrong checksum, no network,
/// and files placed by hand.
@Suite(.serialized) struct FetchTests {
    /// A CIFAR-10 binary archive with `perBatch` records in each of the six batches; the
    /// label of record r in batch b is (b + r) % 10 and its pixels are (b·7 + r + i) % 256.
    static func cifarArchive(perBatch: Int, in scratch: ScratchFolder) throws -> Data {
        let root = scratch.at("cifar-src")
        let folder = root.appendingPathComponent(DataCache.cifar10Folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (b, name) in (DataCache.cifar10TrainingFiles + [DataCache.cifar10TestFile]).enumerated() {
            var bytes: [UInt8] = []
            for r in 0..<perBatch {
                bytes.append(UInt8((b + r) % 10))
                bytes += (0..<3072).map { UInt8((b * 7 + r + $0) % 256) }
            }
            try Data(bytes).write(to: folder.appendingPathComponent(name))
        }
        try Data("airplane\nautomobile\n".utf8).write(to: folder.appendingPathComponent("batches.meta.txt"))
        let archive = scratch.at("cifar-10-binary.tar.gz")
        try run(["tar", "-czf", archive.path, "-C", root.path, DataCache.cifar10Folder])
        return try Data(contentsOf: archive)
    }

    static func run(_ arguments: [String], output: URL? = nil) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = arguments
        if let output {
            _ = FileManager.default.createFile(atPath: output.path, contents: nil)
            p.standardOutput = try FileHandle(forWritingTo: output)
        }
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "\(arguments)")
    }

    static func md5(_ data: Data) -> String { Insecure.MD5.hash(data: data).map { String(format: "%02x", $0) }.joined() }

    /// The CIFAR-10 source, but for `data`, from the loopback server (or `md5` when given).
    static func cifarSource(_ data: Data, server: LoopbackServer, md5: String? = nil) -> DatasetSource {
        let real = DatasetSources.cifar10
        let file = RemoteFile(name: real.files[0].name, size: Int64(data.count), md5: md5 ?? Self.md5(data), mirrors: real.files[0].mirrors)
        return real.replacingFiles([file]).mirrored(at: server.base)
    }

    @Test func aGoodDownloadIsVerifiedUnpackedAndLoads() throws {
        let served = try ServedArchive("fetch-good", perBatch: 3)
        defer { served.server.stop() }
        let (archive, server) = (served.archive, served.server)
        let cache = served.cache
        let events = EventLog()
        let folder = try Fetcher(directory: cache, onEvent: events.record).fetch(served.source)
        #expect(folder == DataCache.cifar10(in: cache))
        let train: Dataset<Float> = try DataLoaders.cifar10(paths: DataCache.cifar10TrainingFiles.map { folder.appendingPathComponent($0).path })
        #expect(train.count == 15 && train.labels.prefix(3) == [0, 1, 2] && train.labels[3] == 1)
        #expect(abs(Double(train.inputs.scalars[1]) - 1.0 / 255) < 1e-6)
        #expect(events.downloadedBytes.last == Int64(archive.count), "the progress reaches the whole file")
        // A second fetch finds it there and does not ask the server again.
        let asked = server.requests.count
        try Fetcher(directory: cache).fetch(served.source)
        #expect(server.requests.count == asked)
    }

    @Test func aCutDownloadKeepsItsPartAndResumes() throws {
        let served = try ServedArchive("fetch-resume", perBatch: 40)
        defer { served.server.stop() }
        let (archive, server) = (served.archive, served.server)
        let half = archive.count / 2
        server.cutNextResponse(for: ServedArchive.name, after: half)
        let cache = served.cache
        let source = served.source
        #expect(throws: FetchError.interrupted(file: "cifar-10-binary.tar.gz", received: Int64(half), expected: Int64(archive.count))) {
            try Fetcher(directory: cache).fetch(source)
        }
        let part = cache.appendingPathComponent("cifar-10-binary.tar.gz.part")
        #expect(try Data(contentsOf: part) == archive.prefix(half))
        #expect(DataCache.cifar10(in: cache) == nil, "nothing is unpacked from a partial file")
        let events = EventLog()
        try Fetcher(directory: cache, onEvent: events.record).fetch(source)
        #expect(server.requests.last?.range == "bytes=\(half)-", "the second run asks only for the rest")
        #expect(events.resumedFrom == Int64(half))
        #expect(try Data(contentsOf: cache.appendingPathComponent("cifar-10-binary.tar.gz")) == archive)
        #expect(DataCache.cifar10(in: cache) != nil && !FileManager.default.fileExists(atPath: part.path))
    }

    @Test func aWrongChecksumRemovesTheFileAndSaysSo() throws {
        let served = try ServedArchive("fetch-checksum", perBatch: 2)
        defer { served.server.stop() }
        let (archive, server) = (served.archive, served.server)
        let cache = served.cache
        let wrong = String(repeating: "0", count: 32)
        let error = #expect(throws: FetchError.self) { try Fetcher(directory: cache).fetch(Self.cifarSource(archive, server: server, md5: wrong)) }
        #expect(error == .checksumMismatch(file: "cifar-10-binary.tar.gz", expected: wrong, actual: Self.md5(archive)))
        #expect("\(error!)".contains("It was removed"))
        let left = try FileManager.default.contentsOfDirectory(atPath: cache.path)
        #expect(left.isEmpty, "neither the download nor its part stays: \(left)")
    }

    @Test func aWholeFileOfAnotherSizeIsNotTakenForAnInterruption() throws {
        let served = try ServedArchive("fetch-size", perBatch: 2)
        defer { served.server.stop() }
        let archive = served.archive
        let cache = served.cache
        let published = served.source
        let larger = published.replacingFiles(published.files.map { RemoteFile(name: $0.name, size: $0.size + 1000, md5: $0.md5, mirrors: $0.mirrors) })
        let error = #expect(throws: FetchError.self) { try Fetcher(directory: cache).fetch(larger) }
        #expect(error == .wrongSize(file: "cifar-10-binary.tar.gz", expected: Int64(archive.count + 1000), actual: Int64(archive.count)))
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache.path).isEmpty)
    }

    @Test func withNoNetworkItSaysHowToPlaceTheFilesByHand() throws {
        let scratch = try ScratchFolder("fetch-offline")
        let archive = try Self.cifarArchive(perBatch: 2, in: scratch)
        // A port nothing listens on: the connection is refused, as with no network.
        let closed = try LoopbackServer()
        closed.stop()
        let cache = scratch.at("cache")
        let source = Self.cifarSource(archive, server: closed)
        let error = #expect(throws: FetchError.self) { try Fetcher(directory: cache).fetch(source) }
        let message = "\(error!)"
        #expect(message.contains("cannot reach the network") && message.contains(cache.path) && message.contains(closed.base.absoluteString + "cifar-10-binary.tar.gz"))
        // Placed by hand, the archive is verified and unpacked without the network.
        try archive.write(to: cache.appendingPathComponent("cifar-10-binary.tar.gz"))
        try Fetcher(directory: cache).fetch(source)
        #expect(DataCache.cifar10(in: cache) != nil)
    }

    @Test func mnistFilesAreEachUnzipped() throws {
        let scratch = try ScratchFolder("fetch-mnist")
        let server = try LoopbackServer()
        defer { server.stop() }
        let count = 5
        func idx(_ magic: UInt32, _ dims: [UInt32], _ payload: [UInt8]) -> Data {
            var d = Data()
            for v in [magic] + dims { withUnsafeBytes(of: v.bigEndian) { d.append(contentsOf: $0) } }
            return d + Data(payload)
        }
        let images = idx(0x0803, [UInt32(count), 28, 28], (0..<(count * 784)).map { UInt8($0 % 256) })
        let labels = idx(0x0801, [UInt32(count)], [3, 1, 4, 1, 5])
        var files: [RemoteFile] = []
        for (name, data) in [("train-images-idx3-ubyte", images), ("train-labels-idx1-ubyte", labels), ("t10k-images-idx3-ubyte", images), ("t10k-labels-idx1-ubyte", labels)] {
            let raw = scratch.at(name)
            try data.write(to: raw)
            let gz = scratch.at(name + ".gz")
            try Self.run(["gzip", "-c", raw.path], output: gz)
            let zipped = try Data(contentsOf: gz)
            server.serve(name + ".gz", zipped)
            files.append(RemoteFile(name: name + ".gz", size: Int64(zipped.count), md5: Self.md5(zipped), mirrors: []))
        }
        let real = DatasetSources.mnist
        let source = real.replacingFiles(files).mirrored(at: server.base)
        let cache = scratch.at("cache")
        let folder = try Fetcher(directory: cache).fetch(source)
        let train: Dataset<Float> = try DataLoaders.mnist(
            images: folder.appendingPathComponent("train-images-idx3-ubyte").path, labels: folder.appendingPathComponent("train-labels-idx1-ubyte").path)
        #expect(train.labels == [3, 1, 4, 1, 5] && train.inputs.shape == [5, 1, 28, 28])
    }

    @Test func theCacheFolderFollowsTheEnvironment() {
        #expect(DataCache.directory(environment: ["GRADSCHOOL_DATA": "/data/here", "HOME": "/home/u"]).path == "/data/here")
        #expect(DataCache.directory(environment: ["XDG_CACHE_HOME": "/xdg", "HOME": "/home/u"]).path == "/xdg/gradschool")
        #if os(Linux)
            #expect(DataCache.directory(environment: ["HOME": "/home/u"]).path == "/home/u/.cache/gradschool")
        #endif
    }

    @Test func theOfficialSourcesNameTheirPublishedChecksums() {
        #expect(DatasetSources.named("cifar10")?.files.map(\.md5) == ["c32a1d4ab5d03f1284b67883e8d87530"])
        #expect(DatasetSources.named("CIFAR-10")?.files.first?.size == 170_052_171)
        #expect(DatasetSources.named("mnist")?.files.count == 4)
        #expect(DatasetSources.named("imagenet") == nil)
    }
}

/// A scratch folder with a CIFAR-format archive served by a loopback server, and the cache
/// folder a fetch writes to. Stop the server when done.
struct ServedArchive {
    static let name = DatasetSources.cifar10.files[0].name
    let scratch: ScratchFolder
    let archive: Data
    let server: LoopbackServer
    var cache: URL { scratch.at("cache") }
    /// The CIFAR-10 source pointing at this server, with the archive's own size and MD5.
    var source: DatasetSource { FetchTests.cifarSource(archive, server: server) }

    init(_ name: String, perBatch: Int) throws {
        scratch = try ScratchFolder(name)
        archive = try FetchTests.cifarArchive(perBatch: perBatch, in: scratch)
        server = try LoopbackServer()
        server.serve(Self.name, archive)
    }
}

/// Collects fetch events from the transfer's thread.
final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [Fetcher.Event] = []
    var record: @Sendable (Fetcher.Event) -> Void { { [self] e in lock.withLock { events.append(e) } } }
    var downloadedBytes: [Int64] {
        lock.withLock { events.compactMap { if case .downloading(_, _, let r, _) = $0 { r } else { nil } } }
    }
    var resumedFrom: Int64? {
        lock.withLock { events.compactMap { if case .resuming(_, let from, _) = $0 { from } else { nil } }.first }
    }
}

extension ScratchFolder {
    func at(_ name: String) -> URL { url.appendingPathComponent(name) }
}
