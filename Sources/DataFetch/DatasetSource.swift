import Foundation
import Training

/// One file of a dataset as its authors publish it: name, size and MD5 checksum (the
/// checksums CIFAR's and MNIST's pages list), and the places to get it from, tried in order.
public struct RemoteFile: Sendable, Equatable {
    public let name: String
    public let size: Int64
    public let md5: String
    public let mirrors: [URL]

    public init(name: String, size: Int64, md5: String, mirrors: [URL]) {
        self.name = name
        self.size = size
        self.md5 = md5.lowercased()
        self.mirrors = mirrors
    }
}

/// A dataset `gradschool fetch` knows: its archive files and how they unpack into the cache.
public struct DatasetSource: Sendable {
    public enum Unpacking: Sendable {
        /// One `.tar.gz` that unpacks into `folder` (CIFAR-10's binary version).
        case tarGzip(folder: String)
        /// Each file is gzipped on its own; they decompress into `folder` without the `.gz`.
        case gzipEach(folder: String)
    }

    public let name: String
    public let title: String
    public let files: [RemoteFile]
    public let unpacking: Unpacking
    /// Whether the unpacked dataset is complete in a cache folder.
    public let isReady: @Sendable (URL) -> Bool

    public init(name: String, title: String, files: [RemoteFile], unpacking: Unpacking, isReady: @escaping @Sendable (URL) -> Bool) {
        self.name = name
        self.title = title
        self.files = files
        self.unpacking = unpacking
        self.isReady = isReady
    }

    /// The same dataset with other files (the tests' small archives in the same format).
    public func replacingFiles(_ files: [RemoteFile]) -> DatasetSource {
        DatasetSource(name: name, title: title, files: files, unpacking: unpacking, isReady: isReady)
    }

    public var folder: String {
        switch unpacking {
        case .tarGzip(let f), .gzipEach(let f): f
        }
    }

    /// The same dataset fetched from `base` + each file's name instead (a course mirror,
    /// or the tests' loopback server).
    public func mirrored(at base: URL) -> DatasetSource {
        DatasetSource(
            name: name, title: title,
            files: files.map { RemoteFile(name: $0.name, size: $0.size, md5: $0.md5, mirrors: [base.appendingPathComponent($0.name)]) },
            unpacking: unpacking, isReady: isReady)
    }
}

public enum DatasetSources {
    /// CIFAR-10, binary version (`data_batch_1.bin` … `test_batch.bin`): 170,052,171 bytes.
    public static let cifar10 = DatasetSource(
        name: "cifar10", title: "CIFAR-10 (binary version)",
        files: [
            RemoteFile(
                name: "cifar-10-binary.tar.gz", size: 170_052_171, md5: "c32a1d4ab5d03f1284b67883e8d87530",
                mirrors: [URL(string: "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz")!])
        ],
        unpacking: .tarGzip(folder: DataCache.cifar10Folder), isReady: { DataCache.cifar10(in: $0) != nil })

    /// MNIST's four gzipped IDX files, from the original site and the mirror most
    /// frameworks use.
    public static let mnist = DatasetSource(
        name: "mnist", title: "MNIST",
        files: [
            ("train-images-idx3-ubyte.gz", 9_912_422, "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
            ("train-labels-idx1-ubyte.gz", 28_881, "d53e105ee54ea40749a09fcbcd1e9432"),
            ("t10k-images-idx3-ubyte.gz", 1_648_877, "9fb629c4189551a2d022fa330f9573f3"),
            ("t10k-labels-idx1-ubyte.gz", 4_542, "ec29112dd5afa0611ce80d1b7f02629c")
        ].map { name, size, md5 in
            RemoteFile(
                name: name, size: Int64(size), md5: md5,
                mirrors: [
                    URL(string: "https://ossci-datasets.s3.amazonaws.com/mnist/\(name)")!,
                    URL(string: "http://yann.lecun.com/exdb/mnist/\(name)")!
                ])
        },
        unpacking: .gzipEach(folder: DataCache.mnistFolder), isReady: { DataCache.mnist(in: $0) != nil })

    public static let all = [cifar10, mnist]

    public static func named(_ name: String) -> DatasetSource? {
        let key = name.lowercased().replacingOccurrences(of: "-", with: "")
        return all.first { $0.name == key }
    }
}
