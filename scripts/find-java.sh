# Finds a JDK for Qflow. Sourced (not run) by ./qflow and .ci/run; the build pastes it into the
# distribution's bin/qflow, which must run on its own.
#
# qflow_find_java sets QFLOW_JAVA (the java executable), QFLOW_JAVA_HOME and QFLOW_JAVA_MAJOR to a
# JDK of version QFLOW_MIN_JAVA (default 21) or newer, looking at, in this order: $JAVA_HOME, the
# newest JDK under /usr/lib/jvm (Linux) or /Library/Java/JavaVirtualMachines (macOS), `java` on
# the PATH. Prints what it tried and returns 1 when none fits.

# Prints the feature version (8, 17, 21, 25, ...) of a java executable, 0 when it cannot tell.
qflow_java_major() {
  local java="$1" home version=""
  home="$(dirname "$(dirname "$java")")"
  if [ -r "$home/release" ]; then   # cheap: no JVM start
    version="$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$home/release")"
  fi
  if [ -z "$version" ]; then
    version="$("$java" -version 2>&1 | sed -n '1s/.*version "\([^"]*\)".*/\1/p')"
  fi
  case "$version" in 1.*) version="${version#1.}" ;; esac
  version="${version%%[!0-9]*}"
  echo "${version:-0}"
}

qflow_find_java() {
  local min="${QFLOW_MIN_JAVA:-21}" java major best="" best_major=0 tried=""
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    major="$(qflow_java_major "$JAVA_HOME/bin/java")"
    if [ "$major" -ge "$min" ]; then
      _qflow_use_java "$JAVA_HOME/bin/java" "$major"
      return 0
    fi
    tried="$tried\n  \$JAVA_HOME=$JAVA_HOME is Java $major"
  fi
  for java in /usr/lib/jvm/*/bin/java /Library/Java/JavaVirtualMachines/*/Contents/Home/bin/java; do
    [ -x "$java" ] || continue
    major="$(qflow_java_major "$java")"
    if [ "$major" -gt "$best_major" ]; then
      best="$java"
      best_major="$major"
    fi
  done
  if [ "$best_major" -ge "$min" ]; then
    _qflow_use_java "$best" "$best_major"
    return 0
  fi
  [ -n "$best" ] && tried="$tried\n  newest JDK installed: $best is Java $best_major"
  if java="$(command -v java 2>/dev/null)"; then
    java="$(readlink -f "$java" 2>/dev/null || echo "$java")"
    major="$(qflow_java_major "$java")"
    if [ "$major" -ge "$min" ]; then
      _qflow_use_java "$java" "$major"
      return 0
    fi
    tried="$tried\n  java on the PATH ($java) is Java $major"
  fi
  printf "qflow: needs a JDK %s or newer and found none:%b\n" "$min" "${tried:-\n  no JDK at all}" >&2
  printf "Install one (for example Temurin 21 or 25) or point JAVA_HOME at it.\n" >&2
  return 1
}

_qflow_use_java() {
  QFLOW_JAVA="$1"
  QFLOW_JAVA_MAJOR="$2"
  QFLOW_JAVA_HOME="$(dirname "$(dirname "$1")")"
}
