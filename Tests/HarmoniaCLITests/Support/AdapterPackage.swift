import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The minimal Swift adapter that `Plugins/README.md` shows, written out as a package of
/// its own and built with `swift build`, the way a third party builds an adapter after the
/// server binary exists.
///
/// The manifest and the source come from the README's code blocks instead of a copy in
/// the test, so the sample people read is the one proven to compile and load. Only the
/// `HarmoniaPluginKit` dependency's path is made absolute (the README's is relative to
/// wherever the reader keeps a checkout).
struct AdapterPackage {
    /// The product, target and file name the README uses.
    static let product = "Greeter"

    /// The package's folder; the build's scratch path is `.build` inside it.
    let directory: String
    let manifest: String
    private(set) var source: String

    var scratchPath: String { directory + "/.build" }

    /// The README's `Package.swift` and `Sources/Greeter/Greeter.swift`, with the
    /// dependency pointing at this checkout's `Plugins/HarmoniaPluginKit`.
    init(readmeOf repositoryRoot: URL, in directory: String) throws {
        let readme = repositoryRoot.appendingPathComponent("Plugins/README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        let blocks = Self.swiftBlocks(in: text)
        guard let manifest = blocks.first(where: { $0.contains("import PackageDescription") }),
            let source = blocks.first(where: { $0.contains("HarmoniaAdapter") && $0.contains("harmonia_plugin_describe") })
        else {
            throw AdapterPackageError("\(readme.path) no longer holds a ```swift Package.swift block and an adapter block")
        }
        guard manifest.contains(#".library(name: "\#(Self.product)", type: .dynamic"#) else {
            throw AdapterPackageError("the README's Package.swift no longer declares the dynamic library \(Self.product)")
        }
        let kit = repositoryRoot.appendingPathComponent("Plugins/HarmoniaPluginKit").path
        guard let start = manifest.range(of: #".package(path: ""#),
            let end = manifest.range(of: #"")"#, range: start.upperBound..<manifest.endIndex),
            manifest[start.upperBound..<end.lowerBound].hasSuffix("Plugins/HarmoniaPluginKit")
        else {
            throw AdapterPackageError("the README's Package.swift no longer depends on .package(path: \".../Plugins/HarmoniaPluginKit\")")
        }
        self.directory = directory
        self.manifest = manifest.replacingCharacters(in: start.upperBound..<end.lowerBound, with: kit)
        self.source = source
    }

    /// Changes the adapter's source (for a new version); `old` must occur in it.
    mutating func replace(_ old: String, with new: String) throws {
        guard source.contains(old) else {
            throw AdapterPackageError("the README's adapter no longer contains \(old)")
        }
        source = source.replacingOccurrences(of: old, with: new)
    }

    /// Writes the package and runs `swift build` (debug) in it; returns the built
    /// `lib<Product>.so`.
    ///
    /// Compiling takes about a minute, so the build has a deadline: past it the build is
    /// interrupted (SIGINT lets SwiftPM stop its compiler processes), then killed, and the
    /// error carries the build's output, as it does when the build fails.
    func build(timeout: Duration) async throws -> String {
        let sources = directory + "/Sources/" + Self.product
        try FileManager.default.createDirectory(atPath: sources, withIntermediateDirectories: true)
        try Data(manifest.utf8).write(to: URL(fileURLWithPath: directory + "/Package.swift"))
        try Data(source.utf8).write(to: URL(fileURLWithPath: sources + "/\(Self.product).swift"))

        let swift = try Self.swiftExecutable()
        let build = [swift, "build", "--package-path", directory, "--scratch-path", scratchPath]
        // At low priority: the compilers would otherwise take every core from the suites
        // running in parallel, some of which wait on deadlines.
        let nice = "/usr/bin/nice"
        let child =
            FileManager.default.isExecutableFile(atPath: nice)
            ? try ChildProcess(binary: nice, arguments: ["-n", "10"] + build)
            : try ChildProcess(binary: swift, arguments: Array(build.dropFirst()))
        defer { child.kill() }
        let status: Int32
        do {
            status = try await child.waitForExit(timeout: timeout)
        } catch is PollTimeout {
            child.send(SIGINT)
            _ = try? await child.waitForExit(timeout: .seconds(30))
            throw AdapterPackageError("`swift build` of \(directory) did not finish within \(timeout)\n\(Self.log(of: child))")
        }
        guard status == 0 else {
            throw AdapterPackageError("`swift build` of \(directory) failed (exit \(status))\n\(Self.log(of: child))")
        }
        let library = scratchPath + "/debug/lib\(Self.product).so"
        guard FileManager.default.fileExists(atPath: library) else {
            throw AdapterPackageError("`swift build` succeeded but \(library) is missing\n\(Self.log(of: child))")
        }
        return library
    }

    /// The contents of every ```swift fenced block, in order.
    static func swiftBlocks(in markdown: String) -> [String] {
        var blocks: [String] = []
        var current: [Substring]?
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            if current == nil {
                if line == "```swift" { current = [] }
            } else if line == "```" {
                blocks.append(current!.joined(separator: "\n") + "\n")
                current = nil
            } else {
                current!.append(line)
            }
        }
        return blocks
    }

    /// `swift` from PATH, else where `scripts/lib.sh` also looks. The adapter must come from
    /// the toolchain that built the server, or the loader refuses its build signature.
    static func swiftExecutable() throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let candidates = path.split(separator: ":").map { "\($0)/swift" } + ["/opt/swift/usr/bin/swift"]
        guard let swift = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw AdapterPackageError("no `swift` on PATH (\(path)) nor at /opt/swift/usr/bin/swift")
        }
        return swift
    }

    /// The end of the build's output: compiler errors go to stdout, SwiftPM's own to stderr.
    private static func log(of child: ChildProcess) -> String {
        "--- build output\n\(child.stdout.tail(8000))\n--- build errors\n\(child.stderr.tail(4000))"
    }
}

/// Building the README's adapter failed, or the README no longer has the expected shape.
struct AdapterPackageError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
