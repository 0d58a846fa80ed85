import Foundation

/// Finds the `harmonia` executable that `swift test` built next to the test bundle.
///
/// The test target depends on the executable target, so SwiftPM builds `harmonia` into
/// the same `.build/<triple>/<configuration>/` folder as the test bundle. The bundle's own
/// path is found several ways (the process image, argv[0], Bundle.main) because the test
/// runner differs between platforms and toolchains. `HARMONIA_BINARY` overrides it all.
enum HarmoniaBinary {
    static func locate() -> String? {
        let environment = ProcessInfo.processInfo.environment
        if let explicit = environment["HARMONIA_BINARY"], isExecutableFile(explicit) {
            return explicit
        }
        var starts: [String] = []
        if let image = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            starts.append(image)
        }
        if let argv0 = CommandLine.arguments.first { starts.append(argv0) }
        if let executable = Bundle.main.executablePath { starts.append(executable) }
        starts.append(Bundle.main.bundlePath)

        for start in starts {
            // The bundle may be a file (Linux) or a directory tree (macOS .xctest/Contents/MacOS).
            var directory = URL(fileURLWithPath: start).standardizedFileURL.deletingLastPathComponent()
            for _ in 0..<4 {
                let candidate = directory.appendingPathComponent("harmonia").path
                if isExecutableFile(candidate) { return candidate }
                directory.deleteLastPathComponent()
            }
        }
        return nil
    }

    /// A regular executable file: the `Sources/harmonia` folder must not match.
    private static func isExecutableFile(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
            && FileManager.default.isExecutableFile(atPath: path)
    }

    /// Where the tests looked, for the failure message when nothing was found.
    static var searchDescription: String {
        let image = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? "?"
        return "next to the test bundle (\(image), argv[0] \(CommandLine.arguments.first ?? "?")); "
            + "build it with `swift build --build-tests` or set HARMONIA_BINARY"
    }
}
