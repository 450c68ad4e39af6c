#pragma once

#include "core/records.h"

#include <QSet>
#include <QString>

namespace causa {

// Shares one copy of each repeated text among the process records of one load: a store row
// comes back with a fresh allocation per column, but endpoint, source, image, path, user,
// hashes and signature repeat across thousands of records. Shared, they cost one allocation
// instead of one per record (less memory, a faster release) and the forest builder recognises
// an endpoint, source or image it has seen by its data pointer instead of reading the text
// again (one cache miss less per field and record). Keys and command lines stay as they are.
class ProcessTextPool
{
public:
    void share(ProcessRecord &record);
    void share(QString &text);

private:
    QSet<QString> m_texts;
};

} // namespace causa
