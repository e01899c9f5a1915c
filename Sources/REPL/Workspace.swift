import Autograd
import Foundation
import Kernels
import Lang
import NeuralNet
import Optimizers
import Tensors
import Training

/// `:save` / `:load`: the session's variables in one `.npz` — tensors, models (architecture and
/// weights, BatchNorm statistics), datasets, optimizers with their state, and plain values —
/// plus a JSON manifest stored as the byte array `__manifest__`. Histories, splits, schedules
/// and functions are listed as not saved.
public enum Workspace {
    /// Saves and returns the names it could not save.
    public static func save(_ interp: Interpreter, to path: String) throws -> [String] {
        var arrays: [(name: String, tensor: Tensor<Float>)] = []
        var manifest: [[String: Any]] = []
        var skipped: [String] = []
        var modelOwners: [ObjectIdentifier: String] = [:]
        let names = interp.globals.names
        for name in names {
            if case .object(let m as ModelObject)? = interp.globals.lookup(name), let first = m.module.parameters.first {
                modelOwners[ObjectIdentifier(first.variable)] = name
            }
        }
        for name in names {
            let value = interp.globals.lookup(name)!
            if let json = plainJSON(value) { manifest.append(["name": name, "kind": "plain", "value": json]); continue }
            switch value {
            case .tensor(let t):
                arrays.append(("t/\(name)", t.value))
                manifest.append(["name": name, "kind": "tensor", "requires_grad": t.requiresGrad])
            case .object(let m as ModelObject):
                guard let layers = describe(m.module) else { skipped.append(name); continue }
                for p in m.module.parameters { arrays.append(("m/\(name)/\(p.name)", p.variable.value)) }
                for (i, bn) in batchNorms(m.module).enumerated() {
                    arrays.append(("m/\(name)/bn\(i)/mean", bn.runningMean))
                    arrays.append(("m/\(name)/bn\(i)/var", bn.runningVariance))
                }
                manifest.append(["name": name, "kind": "model", "layers": layers, "training": m.module.training])
            case .object(let d as DatasetObject):
                arrays.append(("d/\(name)/x", d.data.inputs))
                arrays.append(("d/\(name)/y", Tensor(d.data.labels.map { Float($0) })))
                manifest.append(["name": name, "kind": "dataset", "class_names": d.data.classNames, "dataset_name": d.data.name])
            case .object(let o as OptimizerObject):
                guard let first = o.optimizer.parameters.first, let owner = modelOwners[ObjectIdentifier(first.variable)],
                      UpdateRule(rawValue: o.optimizer.name) != nil else { skipped.append(name); continue }
                for (n, t) in o.optimizer.stateArrays { arrays.append(("o/\(name)/\(n)", t)) }
                manifest.append(["name": name, "kind": "optimizer", "rule": o.optimizer.name, "model": owner,
                                 "hyperparameters": Dictionary(o.optimizer.hyperparameters, uniquingKeysWith: { a, _ in a })])
            default:
                skipped.append(name)
            }
        }
        let data = try JSONSerialization.data(withJSONObject: ["version": 1, "variables": manifest], options: [.sortedKeys])
        arrays.append(("__manifest__", Tensor([UInt8](data).map { Float($0) })))
        try NPZArchive.write(arrays, to: path)
        return skipped
    }

    /// Loads a workspace; builds every value first, so a bad file changes nothing.
    public static func load(into interp: Interpreter, from path: String) throws -> [String] {
        let arrays: [(name: String, tensor: Tensor<Float>)] = try NPZArchive.read(path)
        let byName = Dictionary(arrays.map { ($0.name, $0.tensor) }, uniquingKeysWith: { a, _ in a })
        guard let bytes = byName["__manifest__"],
              let object = try? JSONSerialization.jsonObject(with: Data(bytes.scalars.map { UInt8($0) })) as? [String: Any],
              let variables = object["variables"] as? [[String: Any]] else {
            throw LangError(.runtime, "\(path): not a GradSchool workspace (no readable __manifest__); use load(net, path) for model weights")
        }
        func array(_ key: String) throws -> Tensor<Float> {
            guard let t = byName[key] else { throw LangError(.runtime, "\(path): the workspace is missing the array \(key)") }
            return t
        }
        var built: [(String, Value)] = []
        var models: [String: Module<Float>] = [:]
        for v in variables where (v["kind"] as? String) != "optimizer" {
            guard let name = v["name"] as? String, let kind = v["kind"] as? String else { continue }
            switch kind {
            case "plain": built.append((name, try plainValue(v["value"] as Any)))
            case "tensor": built.append((name, .tensor(Variable(try array("t/\(name)"), requiresGrad: v["requires_grad"] as? Bool ?? true))))
            case "model":
                guard let layers = v["layers"] as? [[String: Any]] else { throw LangError(.runtime, "\(path): model \(name) has no layer list") }
                var g = SeededGenerator(seed: 0)
                let module = Sequential(try layers.map { try rebuild($0, &g) })
                for p in module.parameters {
                    let t = try array("m/\(name)/\(p.name)")
                    guard t.shape == p.variable.shape else { throw LangError(.runtime, "\(path): \(name).\(p.name) has shape \(t.shape), expected \(p.variable.shape)") }
                    p.variable.value = t
                }
                for (i, bn) in batchNorms(module).enumerated() {
                    try bn.setRunningStatistics(mean: try array("m/\(name)/bn\(i)/mean"), variance: try array("m/\(name)/bn\(i)/var"))
                }
                module.training = v["training"] as? Bool ?? true
                models[name] = module
                built.append((name, .object(ModelObject(module))))
            case "dataset":
                let x = try array("d/\(name)/x"), y = try array("d/\(name)/y")
                let d = try Dataset(inputs: x, labels: try y.scalars.map {
                    try Arguments.whole(Double($0), name: "the labels of \(name)", .count, callee: path, location: .unknown)
                }, classNames: v["class_names"] as? [String],
                                    name: v["dataset_name"] as? String ?? name)
                built.append((name, .object(DatasetObject(d))))
            default: throw LangError(.runtime, "\(path): unknown variable kind \(kind)")
            }
        }
        for v in variables where (v["kind"] as? String) == "optimizer" {
            guard let name = v["name"] as? String, let ruleName = v["rule"] as? String, let rule = UpdateRule(rawValue: ruleName),
                  let owner = v["model"] as? String, let module = models[owner] else {
                throw LangError(.runtime, "\(path): an optimizer entry is incomplete")
            }
            let hp = v["hyperparameters"] as? [String: Double] ?? [:]
            let opt: Optimizer<Float> = rule.make(parameters: module.parameters, hyperparameters: hp)
            let prefix = "o/\(name)/"
            try opt.restoreState(arrays.filter { $0.name.hasPrefix(prefix) }.map { (String($0.name.dropFirst(prefix.count)), $0.tensor) })
            built.append((name, .object(OptimizerObject(opt))))
        }
        for (name, value) in built { interp.globals.define(name, value) }
        return built.map(\.0)
    }

    static func plainJSON(_ v: Value) -> Any? {
        switch v {
        case .number(let x): return x.isFinite ? ["n": x] : ["s_number": "\(x)"]
        case .string(let s): return ["s": s]
        case .bool(let b): return ["b": b]
        case .none: return ["none": true]
        case .range(let a, let b): return ["range": [a, b]]
        case .list(let items):
            let parts = items.map(plainJSON)
            return parts.contains { $0 == nil } ? nil : ["list": parts.map { $0! }]
        default: return nil
        }
    }

    static func plainValue(_ json: Any) throws -> Value {
        guard let d = json as? [String: Any] else { throw LangError(.runtime, "workspace: malformed value") }
        if let x = d["n"] as? Double { return .number(x) }
        if let s = d["s_number"] as? String { return .number(Double(s) ?? .nan) }
        if let s = d["s"] as? String { return .string(s) }
        if let b = d["b"] as? Bool { return .bool(b) }
        if d["none"] != nil { return .none }
        if let r = d["range"] as? [Int], r.count == 2 { return .range(r[0], r[1]) }
        if let l = d["list"] as? [Any] { return .list(try l.map(plainValue)) }
        throw LangError(.runtime, "workspace: malformed value")
    }

    static func batchNorms(_ m: Module<Float>) -> [BatchNorm<Float>] {
        var result: [BatchNorm<Float>] = []
        func walk(_ m: Module<Float>) {
            if let bn = m as? BatchNorm<Float> { result.append(bn) }
            if let s = m as? Sequential<Float> { s.layers.forEach(walk) }
            if let r = m as? ResidualBlock<Float> { walk(r.body); if let sc = r.shortcut { walk(sc) } }
        }
        walk(m)
        return result
    }

    /// The constructor arguments of each layer, or nil for a layer this format cannot describe.
    static func describe(_ m: Module<Float>) -> [[String: Any]]? {
        let layers = (m as? Sequential<Float>)?.layers ?? [m]
        var out: [[String: Any]] = []
        for l in layers {
            switch l {
            case let x as Linear<Float>: out.append(["type": "Linear", "in": x.weight.shape[0], "out": x.weight.shape[1], "bias": x.bias != nil])
            case let x as Conv2d<Float>:
                let w = x.weight.shape
                out.append(["type": "Conv2d", "in": w[1], "out": w[0], "k": w[2], "stride": x.stride, "pad": x.pad, "bias": x.bias != nil])
            case let x as MaxPool2d<Float>: out.append(["type": "MaxPool2d", "size": x.size, "stride": x.stride ?? x.size, "pad": x.pad])
            case let x as AvgPool2d<Float>: out.append(["type": "AvgPool2d", "size": x.size, "stride": x.stride ?? x.size, "pad": x.pad])
            case is ReLU<Float>: out.append(["type": "ReLU"])
            case let x as LeakyReLU<Float>: out.append(["type": "LeakyReLU", "slope": Double(x.slope)])
            case is Sigmoid<Float>: out.append(["type": "Sigmoid"])
            case is Tanh<Float>: out.append(["type": "Tanh"])
            case is Flatten<Float>: out.append(["type": "Flatten"])
            case let x as BatchNorm<Float>:
                out.append(["type": "BatchNorm", "features": x.scale.value.count, "spatial": x.spatial,
                            "momentum": Double(x.momentum), "eps": Double(x.epsilon)])
            case let x as Dropout<Float>:
                out.append(["type": "Dropout", "p": Double(x.keepProbability), "inverted": x.convention == .inverted])
            case let x as ResidualBlock<Float>:
                guard let c = x.body.layers.first as? Conv2d<Float> else { return nil }
                out.append(["type": "Residual", "in": c.weight.shape[1], "out": c.weight.shape[0], "stride": c.stride])
            case let x as Sequential<Float>:
                guard let inner = describe(x) else { return nil }
                out.append(["type": "Sequential", "layers": inner])
            default: return nil
            }
        }
        return out
    }

    static func rebuild(_ d: [String: Any], _ g: inout SeededGenerator) throws -> Module<Float> {
        func int(_ k: String) throws -> Int {
            guard let v = d[k] as? Int else { throw LangError(.runtime, "workspace: layer \(d["type"] ?? "?") lacks \(k)") }
            return v
        }
        switch d["type"] as? String {
        case "Linear": return try Linear(inputs: int("in"), outputs: int("out"), bias: d["bias"] as? Bool ?? true, using: &g)
        case "Conv2d": return try Conv2d(inChannels: int("in"), outChannels: int("out"), kernelSize: int("k"), stride: int("stride"),
                                         pad: int("pad"), bias: d["bias"] as? Bool ?? true, using: &g)
        case "MaxPool2d": return MaxPool2d(size: try int("size"), stride: try int("stride"), pad: try int("pad"))
        case "AvgPool2d": return AvgPool2d(size: try int("size"), stride: try int("stride"), pad: try int("pad"))
        case "ReLU": return ReLU()
        case "LeakyReLU": return LeakyReLU(slope: Float(d["slope"] as? Double ?? 0.01))
        case "Sigmoid": return Sigmoid()
        case "Tanh": return Tanh()
        case "Flatten": return Flatten()
        case "BatchNorm": return try BatchNorm(features: int("features"), spatial: d["spatial"] as? Bool ?? false,
                                               momentum: Float(d["momentum"] as? Double ?? 0.9), epsilon: Float(d["eps"] as? Double ?? 1e-5))
        case "Dropout": return try Dropout(keepProbability: Float(d["p"] as? Double ?? 0.5),
                                           convention: d["inverted"] as? Bool ?? true ? .inverted : .testTimeScaling)
        case "Residual": return try ResidualBlock(inChannels: int("in"), outChannels: int("out"), stride: int("stride"), using: &g)
        case "Sequential":
            guard let inner = d["layers"] as? [[String: Any]] else { throw LangError(.runtime, "workspace: a nested sequential has no layers") }
            return Sequential(try inner.map { try rebuild($0, &g) })
        default: throw LangError(.runtime, "workspace: unknown layer type \(d["type"] ?? "?")")
        }
    }
}
