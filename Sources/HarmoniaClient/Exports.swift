// Clients see the wire types (views, events, statuses) without importing two more modules.
@_exported import HarmoniaAPIModels
@_exported import HarmoniaCore
