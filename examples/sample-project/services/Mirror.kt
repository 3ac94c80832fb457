package shop.services

/** Mirrors the product images to the CDN's origin server. */
class Mirror(private val source: String) {
    fun push(target: String): Int {
        // The target comes from the admin form and is spliced into a command line.
        val process = Runtime.getRuntime().exec("rsync -a " + source + " " + target)
        return process.waitFor()
    }

    fun describe(): String = "mirror of $source"
}
