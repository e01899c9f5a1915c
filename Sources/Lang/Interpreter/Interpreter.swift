import Autograd
import Foundation
import NeuralNet
import Plots
import Random
import Synchronization
import Tensors
import Training

/// Evaluates programs against one session: globals, builtins, a seeded generator, output.
///
/// The REPL, the script runner, the lesson runner and the tests all call `run(_:)`.
public final class Interpreter {
    public let globals = Environment()
    public var registry: BuiltinRegistry
    /// Receives printed text (one call per line).
    public var output: (String) -> Void = { print($0) }
    /// Receives transient status text such as progress bars; nil prints none.
    public var status: ((String) -> Void)?
    public let interrupt = InterruptFlag()
    /// Whether pictures may use ANSI colours.
    public var color = false
    /// How plots and images are drawn: as text (`.off`), or as pictures in a terminal that
    /// speaks the kitty, iTerm2 or sixel protocol (`:images` at the prompt).
    public var inlineImages: InlineImageProtocol = .off
    /// Where `course_images` looks for real datasets (`gradschool fetch` puts them there).
    public var dataDirectory = DataCache.directory()
    /// The course's own files (`lessons/data/`), for `course_file`; set by whoever found the
    /// lessons folder.
    public var courseFiles: URL?
    /// The session's random stream (reseeded by `seed(n)` and `--seed`).
    public var generator = SeededGenerator(seed: 0)
    /// The stack floor of the thread running the current entry (see `StackRoom`).
    var stackRoom = StackRoom(floor: 0)
    public private(set) var seedValue: UInt64 = 0
    /// The layer computations the `relu`, `conv2d`, `max_pool2d` and `dropout` builtins and
    /// every model called from this interpreter use (`:use homework` installs the student's).
    public var backend: any LayerBackend = EngineBackend()
    /// Sees, and may replace, the value of every name, member, index and call expression of
    /// the entry being run (not those inside function bodies) as it is evaluated. The lesson
    /// tests use it to perturb one computed value at a time and
    /// show that a check cell can fail; nil (the default) costs one test per expression.
    public var observer: ((Expr, Value) -> Value)?
    /// Nesting of user function calls, bounded so runaway recursion is an error, not a crash.
    var callDepth = 0
    public static let maximumCallDepth = 200

    public init(registry: BuiltinRegistry = Builtins.standard) {
        self.registry = registry
    }

    public func reseed(_ seed: UInt64) {
        seedValue = seed
        generator = SeededGenerator(seed: seed)
    }

    /// Parses and runs `source`; returns the value of its last statement if that statement
    /// is an expression (what the prompt prints).
    @discardableResult
    public func run(_ source: String) throws -> Value? {
        // Models called from here (net(x), fit) compute with the same backend as the builtins.
        try LayerBackends.$active.withValue(backend) { try runProgram(source) }
    }

    func runProgram(_ source: String) throws -> Value? {
        stackRoom = .current()
        let program = try Parser.parse(source)
        var last: Value?
        do {
            for stmt in program {
                last = try execute(stmt, in: globals)
            }
        } catch let flow as ControlFlow {
            switch flow {
            case .returned(let v): return v
            case .breakLoop(let loc): throw LangError(.syntax, "'break' outside a loop", at: loc)
            case .continueLoop(let loc): throw LangError(.syntax, "'continue' outside a loop", at: loc)
            }
        }
        return last
    }
}
