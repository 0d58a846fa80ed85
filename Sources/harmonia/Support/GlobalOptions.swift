import ArgumentParser

/// Lets the options every client command shares (`--url`, `--api-key`) come before the
/// command as well as after it: `harmonia --url URL run FILE` means `harmonia run --url URL FILE`.
///
/// swift-argument-parser gives a parent command's options to the parent only, so instead
/// of declaring them twice the arguments are rewritten before parsing: each of these
/// options found among the command words is moved to just after the last command word,
/// where the (sub)command declares it. A command that does not take it still rejects it,
/// with the parser's usual message.
enum GlobalOptions {
    /// The options moved, each taking one value.
    static let names: Set<String> = ["--url", "--api-key"]

    /// `arguments` (without the executable) with the shared options moved after the command.
    static func hoisted(_ arguments: [String], root: any ParsableCommand.Type) -> [String] {
        var command = root
        var words: [String] = []
        var moved: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if names.contains(argument), index + 1 < arguments.count {
                moved += [argument, arguments[index + 1]]
                index += 2
            } else if let name = argument.split(separator: "=", maxSplits: 1).first, argument.contains("="),
                names.contains(String(name))
            {
                moved.append(argument)
                index += 1
            } else if let sub = command.configuration.subcommands.first(where: { $0._commandName == argument }) {
                command = sub
                words.append(argument)
                index += 1
            } else {
                break
            }
        }
        guard !moved.isEmpty else { return arguments }
        return words + moved + arguments[index...]
    }
}
