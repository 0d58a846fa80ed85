#!/usr/bin/env python3
"""Every module a target imports is declared as a dependency of that target in Package.swift.

SwiftPM lets a target import any module that happens to be built before it (a dependency's
dependency), so a target can quietly rely on a module it never declared, and break the day
the dependency that brought it changes. This check reads the package description
(`swift package dump-package`) and every `import` of every target's sources, and lists the
imports that are not a declared target or product of that target. The toolchain's own
modules (Foundation, Dispatch, Glibc, Synchronization, Testing...) need no declaration.

    python3 tools/imports/check.py      # exit 1 and a list when something is undeclared
"""
import glob
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOOLCHAIN = {
    "Foundation", "FoundationEssentials", "FoundationNetworking", "Dispatch", "Glibc", "Musl", "Darwin",
    "Synchronization", "Testing", "XCTest", "_Concurrency", "os",
}
IMPORT = re.compile(r"^\s*(?:@\w+(?:\([^)]*\))?\s+)*import\s+(?:(?:struct|class|enum|func|protocol|typealias|var|let)\s+)?(\w+)")


def main() -> int:
    description = json.loads(
        subprocess.run(["swift", "package", "dump-package"], cwd=ROOT, check=True, capture_output=True, text=True).stdout)
    problems = []
    for target in description["targets"]:
        name = target["name"]
        default = ("Tests/" if target["type"] == "test" else "Sources/") + name
        path = os.path.join(ROOT, target.get("path") or default)
        declared = {name}
        for dependency in target["dependencies"]:
            for kind in ("byName", "target", "product"):
                if kind in dependency:
                    declared.add(dependency[kind][0])
        for source in sorted(glob.glob(os.path.join(path, "**", "*.swift"), recursive=True)):
            with open(source, encoding="utf-8") as handle:
                for number, line in enumerate(handle, 1):
                    match = IMPORT.match(line)
                    if match and match.group(1) not in declared and match.group(1) not in TOOLCHAIN:
                        problems.append(f"{os.path.relpath(source, ROOT)}:{number}: target {name} imports "
                                        f"{match.group(1)}, which its Package.swift entry does not declare")
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} undeclared imports: add the module to the target's dependencies in Package.swift")
        return 1
    print("every import is declared in Package.swift")
    return 0


if __name__ == "__main__":
    sys.exit(main())
