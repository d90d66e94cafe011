"""The ground floor: database, errors, extensions, language, search, media, vocabularies, time, CSV, caches."""
