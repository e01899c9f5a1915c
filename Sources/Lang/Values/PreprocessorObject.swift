import Autograd
import Tensors
import Training

/// Fitted preprocessing: `p.apply(data)`, `p.mean`, `p.eigenvalues`.
public final class PreprocessorObject: NativeObject {
    public let preprocessing: Preprocessing
    public init(_ p: Preprocessing) { preprocessing = p }
    public var typeName: String { "preprocessing" }
    public var summary: String { "preprocessing \(preprocessing.kind), fitted on examples of shape \(preprocessing.exampleShape)" }

    /// The name `preprocess()` takes, not the Swift case.
    var kindName: String {
        switch preprocessing.kind {
        case .meanImage: "mean_image"
        case .perChannelMean: "channel_mean"
        case .standardize: "standardize"
        case .pca: "pca"
        case .pcaWhiten: "pca_whiten"
        case .zcaWhiten: "zca_whiten"
        }
    }

    static func declareMembers(_ r: inout BuiltinRegistry) {
        r.declareMembers(of: PreprocessorObject.self, "preprocessing", doc: "statistics fitted on training data, applied to any split.") { t in
            t.method(
                "apply", [Param("data", .value, doc: "a dataset or a tensor of examples")],
                "The same transformation applied to a dataset or a tensor."
            ) { p, a, _ in
                if case .object(let d as DatasetObject)? = a.value("data") { return .object(DatasetObject(try p.preprocessing.apply(d.data))) }
                return .tensor(Variable(try p.preprocessing.apply(try a.tensor("data").value)))
            }
            t.property("mean", "The fitted mean.") { p, _ in .tensor(Variable(Tensor(p.preprocessing.mean.map { Float($0) }))) }
            t.property("eigenvalues", "The covariance's eigenvalues (PCA and whitening), largest first.") { p, _ in
                .list(p.preprocessing.eigenvalues.map { .number($0) })
            }
            t.property("kind", "Which preprocessing this is, as preprocess() names it.") { p, _ in .string(p.kindName) }
        }
    }
}
