import Tensors
import Training

/// Train/val/test splits; reading `.test` a second time warns.
public final class SplitsObject: NativeObject {
    public let splits: DataSplits<Float>
    public init(_ splits: DataSplits<Float>) { self.splits = splits }
    public var typeName: String { "splits" }

    public var summary: String {
        let s = splits.sizes
        return "splits: train \(s.train), val \(s.val), test \(s.test) (the test split is for the very end)"
    }

    static func declareMembers(_ r: inout BuiltinRegistry) {
        r.declareMembers(of: SplitsObject.self, "splits", doc: "train, validation and test datasets cut from one set.") { t in
            t.property("train", "The training split.") { s, _ in .object(DatasetObject(s.splits.train)) }
            t.property("val", "The validation split, for choosing hyperparameters.") { s, _ in .object(DatasetObject(s.splits.val)) }
            t.property("test", "The test split, for the very end; reading it again warns.") { s, interp in
                s.splits.warn = { interp.output("warning: " + $0) }
                return .object(DatasetObject(s.splits.test()))
            }
            t.property("test_uses", "How many times the test split has been read.") { s, _ in .number(Double(s.splits.testUses)) }
        }
    }
}
