/* Preloaded (LD_PRELOAD) into the ASan test runs by scripts/sanitize.sh: dlclose does nothing.
 * Open MPI and PMIx unload their components in MPI_Finalize, before LeakSanitizer looks at the
 * heap at exit; a leak allocated in an unloaded component has only "<unknown module>" frames,
 * which no suppression can match. Open MPI 4.1 has no setting that keeps them loaded. */
int dlclose(void* handle) {
    (void)handle;
    return 0;
}
