import Foundation

/// Where `gradschool fetch` keeps real datasets, and whether they are there.
///
/// The folder is `$GRADSCHOOL_DATA` when set; otherwise `$XDG_CACHE_HOME/gradschool`, else
/// `~/Library/Caches/gradschool` on macOS and `~/.cache/gradschool` elsewhere. Each dataset
/// unpacks into its own sub-folder under its official file names, so files placed there by
/// hand are found the same way.
public enum DataCache {
    public static func directory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let dir = environment["GRADSCHOOL_DATA"], !dir.isEmpty { return URL(fileURLWithPath: dir, isDirectory: true) }
        if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty {
            return URL(fileURLWithPath: xdg, isDirectory: true).appendingPathComponent("gradschool", isDirectory: true)
        }
        let home = URL(fileURLWithPath: environment["HOME"] ?? NSHomeDirectory(), isDirectory: true)
        #if os(macOS)
            return home.appendingPathComponent("Library/Caches/gradschool", isDirectory: true)
        #else
            return home.appendingPathComponent(".cache/gradschool", isDirectory: true)
        #endif
    }

    /// CIFAR-10's binary batches as the official archive unpacks them.
    public static let cifar10Folder = "cifar-10-batches-bin"
    public static let cifar10TrainingFiles = (1...5).map { "data_batch_\($0).bin" }
    public static let cifar10TestFile = "test_batch.bin"

    /// The folder holding all six CIFAR-10 batches, or nil when any is missing.
    public static func cifar10(in directory: URL = directory()) -> URL? {
        let folder = directory.appendingPathComponent(cifar10Folder, isDirectory: true)
        let all = cifar10TrainingFiles + [cifar10TestFile]
        return all.allSatisfy { FileManager.default.fileExists(atPath: folder.appendingPathComponent($0).path) } ? folder : nil
    }

    /// MNIST's four IDX files, uncompressed, in `mnist/`.
    public static let mnistFolder = "mnist"
    public static let mnistFiles = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]

    /// The folder holding the four MNIST files, or nil when any is missing.
    public static func mnist(in directory: URL = directory()) -> URL? {
        let folder = directory.appendingPathComponent(mnistFolder, isDirectory: true)
        return mnistFiles.allSatisfy { FileManager.default.fileExists(atPath: folder.appendingPathComponent($0).path) } ? folder : nil
    }
}
