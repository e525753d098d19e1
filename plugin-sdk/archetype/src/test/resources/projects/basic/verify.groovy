// Runs after goal.txt ('verify') on the project generated from archetype.properties: it must be a
// proper Qflow plugin bundle, built and unit-tested outside Qflow's reactor.
import java.util.jar.JarFile

def project = new File(basedir, 'project/com.acme.shout')
def jar = new File(project, 'target/com.acme.shout-1.0.0.jar')
assert jar.isFile() : "no bundle at $jar"

def reports = new File(project, 'target/surefire-reports/TEST-com.acme.shout.internal.ShoutNodeTest.xml')
assert reports.isFile() && reports.text.contains('tests="4"') && reports.text.contains('failures="0"') \
        && reports.text.contains('errors="0"') : "ShoutNodeTest did not pass 4 tests: $reports"

new JarFile(jar).withCloseable { jf ->
    def main = jf.manifest.mainAttributes
    assert main.getValue('Bundle-SymbolicName') == 'com.acme.shout'
    def imports = main.getValue('Import-Package')?.replaceAll(/\s/, '')
    // [1.<minor of the SDK it was built against>,2): runs on any Qflow with SDK 1.x from that minor on
    def sdk = imports =~ /(?:^|,)(io\.qflow\.sdk;version="\[1\.\d+,2\)")/
    assert sdk.find() : "Import-Package without io.qflow.sdk;version=\"[1.x,2)\": $imports"
    assert main.getValue('Export-Package') == null : 'a plugin exports nothing'
    def components = main.getValue('Service-Component')
    assert components == 'OSGI-INF/com.acme.shout.internal.ShoutNode.xml' : "Service-Component: $components"
    def names = jf.entries().toList()*.name
    def xml = names.findAll { it ==~ /OSGI-INF\/[^\/]+\.xml/ }
    assert xml == ['OSGI-INF/com.acme.shout.internal.ShoutNode.xml'] : "OSGI-INF: $xml"
    assert jf.getEntry('com/acme/shout/internal/ShoutNode.schema.json') != null
    assert names.every { !it.startsWith('io/qflow/') } : 'the SDK must not be embedded'
    println "verify.groovy: ${jar.name}: Import-Package ${sdk.group(1)}; ${xml[0]}; ShoutNodeTest 4 passed"
}
return true
