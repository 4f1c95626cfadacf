{
  "targets": [
    {
      "target_name": "memalot",
      "sources": [
        "native/allocation_sites.cc",
        "native/atomic_file.cc",
        "native/back_pointers.cc",
        "native/binding.cc",
        "native/chain_folding.cc",
        "native/dominators.cc",
        "native/epoch_tracker.cc",
        "native/frame_holds.cc",
        "native/graph_index.cc",
        "native/heap_graph.cc",
        "native/isolate_handoff.cc",
        "native/node_bookkeeping.cc",
        "native/leak_groups.cc",
        "native/object_census.cc",
        "native/object_lookup.cc",
        "native/retainer_labels.cc",
        "native/retainers.cc",
        "native/snapshot_analysis.cc",
        "native/string_contents.cc",
        "native/type_classifier.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": [
        "NODE_ADDON_API_CPP_EXCEPTIONS",
        "NODE_ADDON_API_CPP_EXCEPTIONS_ALL",
        "NODE_ADDON_API_DISABLE_DEPRECATED",
        "MEMALOT_SOURCE_HASH=h<!(node scripts/source-hash.mjs)"
      ],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-std=gnu++17", "-std=c++17"],
      "cflags_cc": ["-std=gnu++20", "-fexceptions", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "xcode_settings": {
        "GCC_ENABLE_CPP_EXCEPTIONS": "YES",
        "CLANG_CXX_LANGUAGE_STANDARD": "c++20",
        "MACOSX_DEPLOYMENT_TARGET": "11.0"
      },
      "msvs_settings": {
        "VCCLCompilerTool": { "ExceptionHandling": 1, "AdditionalOptions": ["/std:c++20"] }
      }
    }
  ]
}
